import { defineFunction } from '@aws-amplify/backend';

export const nightlyReport = defineFunction({
  name: 'nightly-report',
  timeoutSeconds: 60,
  // Every night at 02:00, written the way crontab would have it.
  schedule: '0 2 * * *',
});
