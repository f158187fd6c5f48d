"""assessor: a recruitment panel's campaign against the Success Profiles, in one TOML file."""

__version__ = "0.1.0"
