"""Views of the browser UI, one small module per page group. Views only read through
`baocao.web.scope` / `baocao.access.access` and change data only through service functions."""
