"""Helpers shared by the tests (tests/) and the benchmarks (bench/): throwaway services,
local HTTP servers, hostile inputs, a browser and a load generator.

Neither tree imports the other; what both need lives here. Nothing here is part of the
site: no app imports it, and it is not installed with the project.
"""
