import type { EventBridgeHandler } from 'aws-lambda';

export const handler: EventBridgeHandler<'Scheduled Event', null, void> = async (event) => {
  console.log(`weekly digest for ${event.time}`);
};
