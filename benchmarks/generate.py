"""Synthetic Amplify backends for the benchmark: N functions, each with its resource, handler,
schema entry and backend.ts wiring, in the shapes real backends use (and free of findings)."""

from __future__ import annotations

import sys
from pathlib import Path

# Four kinds of function, in turn: a scheduled job, a custom-query resolver, a function wired
# in backend.ts with CDK, and a plain worker with secrets and a helper module.
KINDS = ("job", "resolver", "wired", "worker")
SCHEDULES = ("every 1h", "every 2h", "every 6h", "every 12h", "every day", "every 30m")

BACKEND_HEADER = """\
import { defineBackend } from '@aws-amplify/backend';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { auth } from './auth/resource';
import { data } from './data/resource';
"""

AUTH = """\
import { defineAuth } from '@aws-amplify/backend';

export const auth = defineAuth({
  loginWith: { email: true },
  userAttributes: { preferredUsername: { mutable: true, required: false } },
});
"""


def kind(i: int) -> str:
    return KINDS[i % len(KINDS)]


def resource(i: int) -> str:
    name, k = f"fn-{i:04d}", kind(i)
    options = {
        "job": f"  schedule: '{SCHEDULES[i % len(SCHEDULES)]}',\n  timeoutSeconds: 120,\n  resourceGroupName: 'data',\n",
        "resolver": "  timeoutSeconds: 20,\n  memoryMB: 512,\n  resourceGroupName: 'data',\n",
        "wired": "  timeoutSeconds: 60,\n  environment: { STAGE: 'prod', LOG_LEVEL: 'info' },\n",
        "worker": "  runtime: 22,\n  environment: {\n    API_KEY: secret('api-key'),\n    REGION: 'eu-west-1',\n  },\n",
    }[k]
    imports = "defineFunction, secret" if k == "worker" else "defineFunction"
    return (
        f"import {{ {imports} }} from '@aws-amplify/backend';\n\n"
        f"export const fn{i} = defineFunction({{\n  name: '{name}',\n  entry: './handler.ts',\n"
        f"{options}}});\n"
    )


def handler(i: int) -> str:
    k, name = kind(i), f"fn-{i:04d}"
    if k == "job":
        return f"""\
import type {{ EventBridgeHandler }} from 'aws-lambda';
import {{ Amplify }} from 'aws-amplify';
import {{ generateClient }} from 'aws-amplify/data';
import {{ getAmplifyDataClientConfig }} from '@aws-amplify/backend/function/runtime';
import {{ env }} from '$amplify/env/{name}';
import type {{ Schema }} from '../../data/resource';

const {{ resourceConfig, libraryOptions }} = await getAmplifyDataClientConfig(env);
Amplify.configure(resourceConfig, libraryOptions);

const client = generateClient<Schema>();
const BATCH = 25;

export const handler: EventBridgeHandler<'Scheduled Event', null, void> = async (event) => {{
  const {{ data: items, errors }} = await client.models.Item{i}.list({{ limit: BATCH }});
  if (errors?.length) {{
    console.error(`listing failed at ${{event.time}}`, errors);
    return;
  }}
  for (const item of items) {{
    if ((item.count ?? 0) > 100) {{
      await client.models.Item{i}.update({{ id: item.id, count: 0 }});
    }}
  }}
  console.log(`{name}: checked ${{items.length}} items`);
}};
"""
    if k == "resolver":
        return f"""\
import type {{ Schema }} from '../../data/resource';

type Handler = Schema['query{i}']['functionHandler'];

const greeting = (who: string, times: number): string =>
  Array.from({{ length: times }}, () => `hello ${{who}}`).join(', ');

export const handler: Handler = async (event) => {{
  const {{ name, times }} = event.arguments;
  if (!name) {{
    throw new Error('name is required');
  }}
  return greeting(name, Math.min(times ?? 1, 5));
}};
"""
    if k == "wired":
        return f"""\
import type {{ Handler }} from 'aws-lambda';
import {{ S3Client, GetObjectCommand }} from '@aws-sdk/client-s3';

const s3 = new S3Client({{}});

export const handler: Handler = async (event: {{ key: string }}) => {{
  const stage = process.env.STAGE ?? 'dev';
  const response = await s3.send(new GetObjectCommand({{ Bucket: process.env.BUCKET_NAME, Key: event.key }}));
  const body = await response.Body?.transformToString();
  return {{ stage, size: body?.length ?? 0, function: '{name}' }};
}};
"""
    return f"""\
import type {{ SQSHandler }} from 'aws-lambda';
import {{ env }} from '$amplify/env/{name}';
import {{ parseMessage, summarize }} from './lib';

export const handler: SQSHandler = async (event) => {{
  const failures: {{ itemIdentifier: string }}[] = [];
  for (const record of event.Records) {{
    try {{
      const message = parseMessage(record.body);
      console.log(summarize(message), env.REGION);
    }} catch (error) {{
      failures.push({{ itemIdentifier: record.messageId }});
    }}
  }}
  if (failures.length) {{
    console.warn(`${{failures.length}} messages failed`);
  }}
}};
"""


WORKER_LIB = """\
export interface Message {
  id: string;
  kind: 'created' | 'updated' | 'deleted';
  payload: Record<string, unknown>;
}

export const parseMessage = (body: string): Message => {
  const value = JSON.parse(body) as Partial<Message>;
  if (!value.id || !value.kind) {
    throw new Error('malformed message');
  }
  return { id: value.id, kind: value.kind, payload: value.payload ?? {} };
};

export const summarize = ({ id, kind }: Message): string => `${kind} ${id}`;
"""


def data_resource(n: int) -> str:
    imports = "".join(
        f"import {{ fn{i} }} from '../functions/fn-{i:04d}/resource';\n"
        for i in range(n)
        if kind(i) in ("job", "resolver")
    )
    entries = []
    for i in range(n):
        entries.append(f"""\
    Item{i}: a
      .model({{
        title: a.string().required(),
        count: a.integer(),
        tags: a.string().array(),
      }})
      .authorization((allow) => [allow.owner(), allow.authenticated().to(['read'])]),
""")
        if kind(i) == "resolver":
            entries.append(f"""\
    query{i}: a
      .query()
      .arguments({{ name: a.string(), times: a.integer() }})
      .returns(a.string())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(fn{i})),
""")
    grants = "".join(f"    allow.resource(fn{i}),\n" for i in range(n) if kind(i) == "job")
    return f"""\
import {{ type ClientSchema, a, defineData }} from '@aws-amplify/backend';
{imports}
const schema = a
  .schema({{
{"".join(entries)}  }})
  .authorization((allow) => [
{grants}  ]);

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({{
  schema,
  authorizationModes: {{ defaultAuthorizationMode: 'userPool' }},
}});
"""


def backend(n: int) -> str:
    imports = "".join(f"import {{ fn{i} }} from './functions/fn-{i:04d}/resource';\n" for i in range(n))
    keys = "".join(f"  fn{i},\n" for i in range(n))
    wiring = []
    for i in range(n):
        if kind(i) == "job":
            wiring.append(
                f"backend.fn{i}.addEnvironment('ITEM_TABLE', backend.data.resources.tables['Item{i}'].tableName);\n"
            )
        elif kind(i) == "wired":
            wiring.append(f"""\
backend.fn{i}.addEnvironment('BUCKET_NAME', `reports-${{Stack.of(backend.fn{i}.resources.lambda).account}}`);
backend.fn{i}.resources.lambda.addToRolePolicy(
  new iam.PolicyStatement({{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports-*/*'] }}),
);
backend.fn{i}.resources.cfnResources.cfnFunction.reservedConcurrentExecutions = 2;
""")
    return (
        f"{BACKEND_HEADER}{imports}\nconst backend = defineBackend({{\n  auth,\n  data,\n{keys}}});\n\n"
        f"{''.join(wiring)}\nexport const retention = Duration.days(30);\n"
    )


def generate(root: Path, n: int) -> Path:
    """Write a backend with `n` functions under `root` (replacing what is there); returns `root`."""
    amplify = root / "amplify"
    files = {
        "backend.ts": backend(n),
        "auth/resource.ts": AUTH,
        "data/resource.ts": data_resource(n),
    }
    for i in range(n):
        folder = f"functions/fn-{i:04d}"
        files[f"{folder}/resource.ts"] = resource(i)
        files[f"{folder}/handler.ts"] = handler(i)
        if kind(i) == "worker":
            files[f"{folder}/lib.ts"] = WORKER_LIB
    for relative, content in files.items():
        path = amplify / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    (root / "package.json").write_text('{ "name": "synthetic-backend", "type": "module" }\n')
    return root


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/generate.py FUNCTIONS FOLDER")
    print(generate(Path(sys.argv[2]), int(sys.argv[1])))
