import { defineFunction } from '@aws-amplify/backend';

export const syncTodos = defineFunction({
  name: 'sync-todos',
  schedule: 'every 1h',
});
