"""Reading partners' files: cell parsing, loading, validation and the sample generator."""
