"""Facts about an Amplify project's files that every layer uses: which files are source, which
need the TSX grammar, the names ampx looks for the backend under, and the package a backend's
`define*` functions come from. Imports nothing from amplint."""

from __future__ import annotations

# Files amplint reads as source: TypeScript and JavaScript in every module flavour.
SOURCE_SUFFIXES = frozenset({".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"})
# Files that may hold JSX, parsed with the TSX grammar (where `<T>x` is an element, not a cast).
TSX_SUFFIXES = frozenset({".tsx", ".jsx"})
# ampx looks for backend.js, .mjs, .cjs, then .ts (platform-core BackendLocator: "Give preference to JS").
BACKEND_FILE_NAMES = tuple(f"backend{ext}" for ext in (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"))
# The package of `defineBackend`, `defineFunction`, `defineData`, `a`, `secret`, ...
AMPLIFY_BACKEND = "@aws-amplify/backend"

# What Amplify's `defineFunction` deploys when a setting is not given (function-construct defaults).
DEFAULT_RUNTIME = 22  # Node.js major version
DEFAULT_TIMEOUT_SECONDS = 3
DEFAULT_MEMORY_MB = 512
# The zone a function schedule runs in when it names none (and the one EventBridge uses then).
DEFAULT_SCHEDULE_TIMEZONE = "UTC"
