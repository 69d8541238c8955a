import { defineFunction } from '@aws-amplify/backend';

export const nightlyReport = defineFunction({
  name: 'nightly-report',
  timeoutSeconds: 60,
});
