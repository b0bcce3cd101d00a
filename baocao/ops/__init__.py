"""Running baocao for real: health check, backup and restore, the production server's settings."""
