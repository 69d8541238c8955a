// A project tracker's schema, with the mistakes TypeScript lets through and synth does not.
import { type ClientSchema, a, defineData } from '@aws-amplify/backend';
import { summarize } from '../functions/summarize/resource';

const schema = a
  .schema({
    Stage: a.enum(['BACKLOG', 'in-progress', 'DONE']),
    Project: a
      .model({
        slug: a.string(),
        name: a.string().required(),
        tasks: a.hasMany('Task', 'projectId').valueRequired(),
        milestones: a.hasMany('Milestone', 'projectId'),
        owner: a.integer(),
      })
      .identifier(['slug'])
      .authorization((allow) => [allow.owner()]),
    Task: a
      .model({
        projectId: a.id(),
        project: a.belongsTo('Project', 'projectId'),
        title: a.string().required(),
        stage: a.ref('Stage'),
        priority: a.ref('Priority'),
      })
      .secondaryIndexes((index) => [index('stage').sortKeys(['createdAt'])])
      .authorization((allow) => [allow.owner()]),
    Milestone: a.model({ projectId: a.id(), dueOn: a.date() }),
    summarize: a
      .query()
      .arguments({ projectId: a.string().required() })
      .handler(a.handler.function(summarize)),
  })
  .authorization((allow) => [allow.resource(summarize)]);

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({ schema });
