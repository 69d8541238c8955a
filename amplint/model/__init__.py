"""The model of an Amplify backend: modules, static values, definitions, schema, handlers and stacks,
built once from the parsed files and read by every check."""
