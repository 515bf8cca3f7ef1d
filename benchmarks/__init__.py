"""The benchmark of Pilot'IAE: synthetic national-scale data in a database of its own (`generer`), then the time
and the number of queries of the key reads (`mesurer`). A measurement, never a test: `make bench`."""
