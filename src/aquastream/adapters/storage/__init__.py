"""Object storage adapters (``ports.media.ObjectStorage``): S3-compatible services for
production, a local directory served by the app itself for the embedded default; and the
recognition of file formats from their bytes."""
