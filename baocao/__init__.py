"""baocao — hệ thống thông tin báo cáo ngành thông tin và truyền thông cấp tỉnh."""

__version__ = "0.1.0"
