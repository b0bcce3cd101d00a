"""Sample exports in the layouts the systems and enterprises send, for the shipped mappings.

`python -m baocao.sources.samples` writes them into baocao/sources/data/ (they are committed);
the tests build variants (a renamed column, figures that break a rule) from the same code.

* enterprise table (XLSX): a telecom enterprise's monthly report of subscribers, BTS stations
  and revenue, with its letterhead, a title naming the month, grouped rows and a unit column;
* one-stop system (CSV, ';', Vietnamese numbers): dossiers of a quarter by service level and
  procedure, with a two-row header (Tiếp nhận / Tổng số, Trực tuyến, Trực tiếp …);
* document system (JSON): documents received, sent, digitally signed and sent between
  agencies in a quarter, as its statistics API answers, with a breakdown by agency.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")

# -- the enterprise's subscriber and BTS table ------------------------------------------------------------------
ENTERPRISE_HEADER = ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu đến cuối kỳ", "Tăng/giảm so với tháng trước", "Ghi chú"]
ENTERPRISE_ROWS: list[list[Any]] = [
    ["I", "Thuê bao điện thoại", None, None, None, None],
    [1, "Thuê bao điện thoại cố định", "thuê bao", 12517, -86, "hữu tuyến và vô tuyến"],
    [2, "Thuê bao di động", "thuê bao", 402365, 1204, None],
    [None, "- Trả trước", "thuê bao", 389120, 1150, None],
    [None, "- Trả sau", "thuê bao", 13245, 54, None],
    ["II", "Thuê bao Internet", None, None, None, None],
    [1, "Thuê bao Internet cáp quang (FTTH)", "thuê bao", 61204, 812, None],
    [2, "Thuê bao Internet ADSL", "thuê bao", 1032, -41, "đang chuyển sang cáp quang"],
    ["III", "Hạ tầng mạng", None, None, None, None],
    [1, "Trạm BTS (2G/3G/4G)", "trạm", 512, 3, None],
    [2, "Trạm phát sóng 5G", "trạm", 14, 2, "thử nghiệm thương mại"],
    ["IV", "Doanh thu dịch vụ viễn thông", "triệu đồng", 48765.5, None, "chưa gồm VAT"],
]


def enterprise_xlsx(month: str = "THÁNG 10 NĂM 2024", header: list[str] | None = None,
                    rows: list[list[Any]] | None = None) -> bytes:  # fmt: skip
    """VNPT-style monthly table: letterhead, title with the month, header on row 7."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "TB_BTS"
    sheet.append(["TẬP ĐOÀN BƯU CHÍNH VIỄN THÔNG VIỆT NAM", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.append(["VIỄN THÔNG TRÀ VINH", None, None, "Độc lập - Tự do - Hạnh phúc"])
    sheet.append([])
    sheet.append([f"BÁO CÁO SỐ LIỆU THUÊ BAO, HẠ TẦNG MẠNG VIỄN THÔNG {month}"])
    sheet.append(["(Kèm theo Công văn số 1520/VNPT-TVH-KHKT ngày 05/11/2024 của Viễn thông Trà Vinh)"])
    sheet.append([])
    sheet.append(header or ENTERPRISE_HEADER)
    for row in rows if rows is not None else ENTERPRISE_ROWS:
        sheet.append(row)
    sheet.merge_cells("A4:F4")
    sheet["A4"].font = Font(bold=True)
    sheet["A4"].alignment = Alignment(horizontal="center")
    for cell in sheet[7]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEF", (6, 42, 14, 20, 26, 28), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- the one-stop system's dossier statistics ----------------------------------------------------------------------
ONE_STOP_ROWS: list[list[str]] = [
    ["I", "Dịch vụ công mức độ 3", "", "24.312", "3.518", "20.794", "23.870", "23.402", "468", "442"],
    ["1", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "3", "1.204", "310", "894", "1.188", "1.150", "38", "16"],
    ["2", "Đăng ký hộ kinh doanh", "3", "2.877", "605", "2.272", "2.860", "2.851", "9", "17"],
    ["3", "Cấp bản sao trích lục hộ tịch", "3", "20.231", "2.603", "17.628", "19.822", "19.401", "421", "409"],
    ["II", "Dịch vụ công mức độ 4", "", "38.640", "7.912", "30.728", "38.102", "37.990", "112", "538"],
    ["1", "Cấp phiếu lý lịch tư pháp", "4", "3.415", "1.422", "1.993", "3.380", "3.377", "3", "35"],
    ["2", "Đăng ký khai sinh", "4", "6.090", "2.007", "4.083", "6.071", "6.066", "5", "19"],
    ["3", "Chứng thực bản sao từ bản chính", "4", "29.135", "4.483", "24.652", "28.651", "28.547", "104", "484"],
    ["III", "Thủ tục khác (mức độ 2)", "", "4.105", "0", "4.105", "4.090", "4.071", "19", "15"],
    ["", "Tổng cộng", "", "67.057", "11.430", "55.627", "66.062", "65.463", "599", "995"],
]
ONE_STOP_HEADER_1 = ["STT", "Lĩnh vực, thủ tục", "Mức độ", "Tiếp nhận", "", "", "Đã giải quyết", "", "", "Đang giải quyết"]
ONE_STOP_HEADER_2 = ["", "", "", "Tổng số", "Trực tuyến", "Trực tiếp", "Tổng số", "Đúng hạn", "Quá hạn", ""]


def one_stop_csv(period: str = "Quý III/2024", header_2: list[str] | None = None,
                 rows: list[list[str]] | None = None) -> bytes:  # fmt: skip
    lines = [
        ["THỐNG KÊ TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"],
        [f"Kỳ thống kê: {period} — Hệ thống thông tin giải quyết TTHC tỉnh Trà Vinh"],
        ["Đơn vị: Tỉnh Trà Vinh (tất cả các cấp)"],
        ONE_STOP_HEADER_1,
        header_2 or ONE_STOP_HEADER_2,
        *(rows if rows is not None else ONE_STOP_ROWS),
    ]
    text = "\r\n".join(";".join(cells) for cells in lines) + "\r\n"
    return ("\ufeff" + text).encode("utf-8")


# -- the document system's statistics ------------------------------------------------------------------------------
DOCUMENTS: dict[str, Any] = {
    "he_thong": "Hệ thống quản lý văn bản và điều hành tỉnh Trà Vinh",
    "don_vi": {"ma": "84", "ten": "Tỉnh Trà Vinh"},
    "ky_bao_cao": {"ten": "Quý III/2024", "tu_ngay": "2024-07-01", "den_ngay": "2024-09-30"},
    "thoi_diem_trich_xuat": "2024-10-03T07:30:00+07:00",
    "tong_hop": [
        {"chi_tieu": "Văn bản đến", "so_luong": 48213},
        {"chi_tieu": "Văn bản đi", "so_luong": 19876},
        {"chi_tieu": "Văn bản đi được ký số", "so_luong": 18105},
        {"chi_tieu": "Văn bản gửi, nhận liên thông", "so_luong": 31220},
        {"chi_tieu": "Tỷ lệ văn bản đi được ký số (%)", "so_luong": "91,09"},
        {"chi_tieu": "Hồ sơ công việc lập trên hệ thống", "so_luong": 5230},
    ],
    "theo_co_quan": [
        {"co_quan": "Văn phòng UBND tỉnh", "van_ban_den": 9120, "van_ban_di": 4310, "ky_so": 4302},
        {"co_quan": "Sở Nội vụ", "van_ban_den": 3212, "van_ban_di": 1204, "ky_so": 1187},
        {"co_quan": "UBND huyện Càng Long", "van_ban_den": 2870, "van_ban_di": 1126, "ky_so": 1002},
    ],
}


def documents_json(**changes: Any) -> bytes:
    doc = copy.deepcopy(DOCUMENTS)
    doc.update(changes)
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


SAMPLES = {
    "vnpt_thue_bao_bts_thang_10_2024.xlsx": enterprise_xlsx,
    "mot_cua_ho_so_quy_3_2024.csv": one_stop_csv,
    "qlvb_thong_ke_quy_3_2024.json": documents_json,
}


def write_samples(folder: Path = DATA_DIR) -> list[Path]:
    written = []
    for name, build in SAMPLES.items():
        path = folder / name
        path.write_bytes(build())
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_samples():
        print(path)
