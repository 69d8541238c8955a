import { defineBackend } from '@aws-amplify/backend';
import { auth } from './auth/resource';
import { data } from './data/resource';
import { summarize } from './functions/summarize/resource';

defineBackend({ auth, data, summarize });
