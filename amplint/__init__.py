"""amplint: a static linter for AWS Amplify Gen 2 backends."""

__version__ = "0.1.0"
