import { type ClientSchema, a, defineData } from '@aws-amplify/backend';
import { syncTodos } from '../functions/sync-todos/resource';

const schema = a
  .schema({
    Todo: a
      .model({
        content: a.string(),
        done: a.boolean(),
      })
      .authorization((allow) => [allow.owner()]),
    Report: a
      .model({
        day: a.date().required(),
        openTodos: a.integer(),
      })
      .authorization((allow) => [allow.authenticated().to(['read'])]),
  })
  .authorization((allow) => [allow.resource(syncTodos)]);

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({
  schema,
  authorizationModes: { defaultAuthorizationMode: 'userPool' },
});
