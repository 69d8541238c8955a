import type { ScheduledHandler } from 'aws-lambda';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/data';
import outputs from '../../../amplify_outputs.json';
import type { Schema } from '../../data/resource';
import { formatDay } from './format';

Amplify.configure(outputs);

const client = generateClient<Schema>();

export const handler: ScheduledHandler = async (event) => {
  const { data: todos } = await client.models.Todo.list({ filter: { done: { eq: false } } });
  await client.models.Report.create({ day: formatDay(event.time), openTodos: todos.length });
  return { statusCode: 200, body: JSON.stringify({ openTodos: todos.length }) };
};
