import type { Schema } from '../../data/resource';

export const handler: Schema['summarize']['functionHandler'] = async (event) => {
  return `Project ${event.arguments.projectId}`;
};
