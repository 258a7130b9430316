"""Articles are edited on the editors' desk (desk/admin.py), which builds on every
step of the pipeline; this app registers no admin of its own."""
