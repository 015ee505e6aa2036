"""The core: the schedule protocol, parameters, pieces, arrays and serialization."""
