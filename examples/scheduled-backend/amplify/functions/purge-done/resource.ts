import { defineFunction } from '@aws-amplify/backend';

export const purgeDone = defineFunction({
  name: 'purge-done',
  schedule: 'every week',
});
