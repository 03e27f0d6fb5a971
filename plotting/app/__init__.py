"""The application: saving figures, rendering cohorts in batch, the command line."""
