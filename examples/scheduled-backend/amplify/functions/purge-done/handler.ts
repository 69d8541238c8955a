import type { EventBridgeHandler } from 'aws-lambda';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/data';
import { getAmplifyDataClientConfig } from '@aws-amplify/backend/function/runtime';
import { env } from '$amplify/env/purge-done';
import type { Schema } from '../../data/resource';

const { resourceConfig, libraryOptions } = await getAmplifyDataClientConfig(env);
Amplify.configure(resourceConfig, libraryOptions);

const client = generateClient<Schema>();

export const handler: EventBridgeHandler<'Scheduled Event', null, void> = async () => {
  const { data: done } = await client.models.Todo.list({ filter: { done: { eq: true } } });
  await Promise.all(done.map((todo) => client.models.Todo.delete({ id: todo.id })));
};
