import { defineFunction } from '@aws-amplify/backend';

// Defined, scheduled, and never passed to defineBackend.
export const weeklyDigest = defineFunction({
  name: 'weekly-digest',
  schedule: 'every week',
});
