import { defineBackend } from '@aws-amplify/backend';
import { Stack } from 'aws-cdk-lib';
import { Duration } from 'aws-cdk-lib/aws-events';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { auth } from './auth/resource';
import { data } from './data/resource';
import { nightlyReport } from './functions/nightly-report/resource';
import { purgeDone } from './functions/purge-done/resource';
import { syncTodos } from './functions/sync-todos/resource';

const backend = defineBackend({
  auth,
  data,
  syncTodos,
  purgeDone,
  nightly: nightlyReport,
});

// The sync function reads the Todo table name from its environment.
backend.syncTodos.addEnvironment(
  'TODO_TABLE',
  backend.data.resources.tables['Todo'].tableName,
);

// Run the nightly report every day.
const nightlyRule = new events.Rule(Stack.of(backend.nightlyReport.resources.lambda), 'NightlyReportRule', {
  schedule: events.Schedule.rate(Duration.hours(24)),
});
nightlyRule.addTarget(new targets.LambdaFunction(backend.nightlyReport.resources.lambda));
