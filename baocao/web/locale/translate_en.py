"""Fill the English catalog of the web app from the table below, then compile it.

Run after `django-admin makemessages -l en` in baocao/web:  python locale/translate_en.py
(msgfmt from gettext compiles the .mo; `apt-get install gettext` where it is missing).
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
PO = HERE / "en" / "LC_MESSAGES" / "django.po"

EN: dict[str, str | tuple[str, str]] = {
    "chính xác": "exact", "ước": "estimated", "hơn": "more than", "dưới": "less than",
    "Tên đăng nhập": "Username", "Mật khẩu": "Password",
    "Tên đăng nhập hoặc mật khẩu không đúng.": "Wrong username or password.",
    "Tài khoản đã bị khóa.": "This account is disabled.",
    "Lý do thay đổi (ghi vào nhật ký)": "Reason for the change (written to the audit log)",
    "Không nhận giá trị âm": "Negative values are not accepted", "Lý do": "Reason",
    "Tệp Excel (.xlsx) hoặc CSV": "Excel (.xlsx) or CSV file", "Tất cả": "All", "Số liệu": "Figures",
    "Trạng thái (gửi, duyệt, khóa, mở lại)": "State (submit, approve, lock, reopen)",
    "Đọc báo cáo": "Read reports", "Phân quyền": "Roles", "Tài khoản": "Accounts", "Đơn vị": "Unit", "Danh mục chỉ tiêu": "Indicator catalog",
    "Đơn vị (mã)": "Unit (code)", "Kỳ": "Period", "Người thực hiện": "By", "Loại thay đổi": "Kind of change",
    "Vai trò": "Role", "Chỉ dùng chữ không dấu, số và . @ + - _": "Use plain letters, digits and . @ + - _ only",
    "Họ và tên": "Full name", "Thư điện tử": "E-mail",
    "Không có quyền truy cập": "Access denied",
    "Tài khoản của bạn không được phép xem hoặc thực hiện thao tác này.":
        "Your account may not see this page or do this.",
    "Về trang chủ": "Back to the home page", "Không tìm thấy": "Not found", "Không tìm thấy trang": "Page not found",
    "Kỳ báo cáo": "Reporting period", "vd: năm 2022, quý I/2020": "e.g. năm 2022, quý I/2020", "Xem": "View",
    "Nhật ký thay đổi": "Audit log",
    "Mọi thay đổi số liệu, trạng thái và phân quyền: ai, khi nào, trước và sau, lý do.":
        "Every change of figures, states and roles: who, when, before and after, why.",
    "Lọc": "Filter", "Bỏ lọc": "Clear", "%(n)s thay đổi": ("%(n)s change", "%(n)s changes"),
    "Thời gian": "Time", "Thay đổi": "Change", "Nội dung": "Summary", "Trước → sau": "Before → after",
    "Không có thay đổi nào.": "No changes.", "Trước": "Previous", "Trang %(n)s/%(total)s": "Page %(n)s/%(total)s",
    "Sau": "Next", "Hệ thống thông tin báo cáo": "Reporting information system",
    "HỆ THỐNG THÔNG TIN BÁO CÁO": "REPORTING INFORMATION SYSTEM",
    "Ngành Thông tin và Truyền thông — cấp tỉnh": "Information and communications sector — provincial level",
    "Đăng xuất": "Sign out", "Điều hướng chính": "Main navigation", "Trang chủ": "Home", "Nhập liệu": "Data entry",
    "Chỉ số chính": "Key figures", "Xu hướng": "Trends", "So sánh đơn vị": "Compare units", "Báo cáo": "Reports",
    "Nhật ký": "Audit log",
    "Hệ thống thông tin báo cáo ngành Thông tin và Truyền thông":
        "Reporting information system of the information and communications sector",
    "Số liệu theo Nghị định 09/2019/NĐ-CP về chế độ báo cáo của cơ quan hành chính nhà nước":
        "Figures under Decree 09/2019/ND-CP on reporting by state administrative agencies",
    "Tải ảnh PNG": "Download PNG", "Tải số liệu CSV": "Download CSV", "đến": "until", "từ": "from",
    "Chỉ tiêu": "Indicator", "So sánh các đơn vị": "Compare units", "các đơn vị trực thuộc": "units under",
    "%(n)s đơn vị chưa có số liệu (xem bảng).": ("%(n)s unit has no figure yet (see the table).",
                                                 "%(n)s units have no figure yet (see the table)."),
    "Chưa đơn vị nào có số liệu của chỉ tiêu này trong kỳ.": "No unit has a figure for this indicator in this period.",
    "Không có đơn vị trực thuộc nào để so sánh trong kỳ này.": "No units to compare in this period.",
    "Bảng số liệu": "Table of figures", "Giá trị": "Value", "Cách tính": "How obtained", "so với": "compared with",
    "chưa có số liệu": "no figure yet", "điểm %%": "points", "Đạt": "Reached", "kế hoạch": "of plan",
    "Xem xu hướng": "See the trend", "Các tỷ lệ chính": "Main rates", "Kế hoạch": "Plan",
    "Xu hướng theo thời gian": "Trend over time", "Loại kỳ": "Period type", "Từ năm": "From year",
    "Đến năm": "To year", "Trạng thái": "State", "Đang nhập": "Draft", "Đã gửi, chờ duyệt": "Submitted, awaiting approval",
    "Đã duyệt": "Approved", "Đã khóa": "Locked", "Lý do mở lại (bắt buộc)": "Reason for reopening (required)",
    "Hạn gửi": "Due", "Đã gửi ngày": "Submitted on", "gửi muộn": "late", "quá hạn, chưa gửi": "overdue, not submitted",
    "Các phần của báo cáo": "Sections of the report", "Lĩnh vực": "Field", "Đã nhập": "Entered", "Nhập": "Enter",
    "Kiểm tra số liệu": "Checks", "Không phát hiện lỗi": "No problems found", "Nhập bằng Excel": "Enter with Excel",
    "Tải biểu mẫu Excel (tất cả lĩnh vực)": "Download the Excel template (all fields)", "Tải lên": "Upload",
    "Tệp được kiểm tra toàn bộ trước khi lưu: nếu có một dòng sai, không số liệu nào được lưu và các dòng sai được liệt kê.":
        "The whole file is checked before saving: if one row is wrong, nothing is saved and the wrong rows are listed.",
    "Nội dung, văn bản và nhiệm vụ": "Narrative, documents and tasks",
    "Nội dung thuyết minh, sổ văn bản và nhiệm vụ của kỳ được soạn cùng báo cáo.":
        "The period's narrative, document register and tasks are edited with the report.",
    "Mở phần báo cáo": "Open the reports", "Nhập số liệu báo cáo": "Enter report figures",
    "Chọn đơn vị và kỳ báo cáo. Kỳ có thể ghi như trong báo cáo: năm 2022, quý I/2020, 6 tháng đầu năm 2023, tháng 3/2024.":
        "Choose a unit and a period. Write the period as reports do: năm 2022, quý I/2020, 6 tháng đầu năm 2023, tháng 3/2024 (or 2022, 2020Q1).",
    "chỉ xem": "view only", "vd: năm 2022": "e.g. 2022", "Mở biểu nhập": "Open the form",
    "Các kỳ gần đây": "Recent periods", "Đã gửi": "Submitted", "Mở": "Open", "Biểu mẫu Excel": "Excel template",
    "Bạn chỉ có quyền xem số liệu của đơn vị này.": "You may only view this unit's figures.",
    "Số liệu đã khóa: chỉ quản trị viên được sửa.": "The figures are locked: only an administrator may change them.",
    "Số liệu đã gửi: người phê duyệt có thể sửa hoặc mở lại để đơn vị sửa.":
        "The figures are submitted: an approver may correct them or reopen them for the unit.",
    "Kết quả kiểm tra": "Check results", "Lĩnh vực này không có lỗi kiểm tra.": "No failed checks in this field.",
    "Các lĩnh vực khác của kỳ còn %(n)s lỗi kiểm tra": ("Other fields of the period have %(n)s failed check",
                                                       "Other fields of the period have %(n)s failed checks"),
    "xem tổng hợp": "see the overview", "Chưa lưu được": "Not saved",
    "Chưa lưu được: có ô nhập chưa đúng (đánh dấu đỏ bên dưới). Số đã gõ vẫn được giữ nguyên.":
        "Not saved: some boxes are wrong (marked in red below). What you typed is kept.",
    "Đơn vị tính": "Unit of measure", "Kỳ trước": "Previous period", "Số liệu kỳ này": "This period",
    "Tính chất": "Qualifier", "Ghi chú": "Comment", "Tính từ thành phần": "Computed from its parts",
    "Lưu số liệu": "Save figures",
    "Số ghi kiểu Việt Nam: 1.599 (nghìn) và 73,95 (thập phân). Có thể gõ “hơn 150”, “ước 76 tỷ đồng”.":
        "Numbers the Vietnamese way: 1.599 (thousands) and 73,95 (decimals). You may type “hơn 150”, “ước 76 tỷ đồng”.",
    "Nhập từ tệp Excel": "Import from an Excel file",
    "Tất cả hoặc không: một dòng sai thì không lưu gì và liệt kê dòng sai.":
        "All or nothing: one wrong row saves nothing, and the wrong rows are listed.",
    "Tệp bị từ chối": "File refused", "Tệp bị từ chối — không có số liệu nào được lưu": "File refused — nothing was saved",
    "%(n)s lỗi:": ("%(n)s error:", "%(n)s errors:"),
    "Sửa các dòng trên trong tệp rồi tải lên lại.": "Correct these rows in the file and upload it again.",
    "Quay lại biểu nhập": "Back to the form", "Tổng quan": "Overview",
    "Tiến độ gửi báo cáo, việc cần làm và phạm vi được phân quyền của bạn.":
        "Reporting progress, what needs doing, and the units you work on.",
    "Việc cần làm": "To do", "Đang nhập, chưa gửi": "Draft, not submitted", "Chờ phê duyệt": "Awaiting approval",
    "Đã duyệt, chờ khóa": "Approved, awaiting lock", "Không có việc đang chờ.": "Nothing is waiting.",
    "Phạm vi của bạn": "Your scope", "Quản trị hệ thống": "System administrator", "toàn bộ đơn vị": "all units",
    "Tài khoản chưa được phân quyền trên đơn vị nào. Liên hệ quản trị viên.":
        "This account has no role on any unit yet. Ask an administrator.",
    "Nhập số liệu": "Enter figures", "Tình hình gửi báo cáo": "Reporting progress",
    "Quá hạn hoặc gửi muộn": "Overdue or late", "Ngày gửi": "Submitted on", "Đúng hạn": "On time",
    "đúng hạn": "on time", "chưa gửi": "not submitted", "Đăng nhập": "Sign in", "Đăng nhập hệ thống": "Sign in",
    "Dành cho cán bộ các Sở, phòng và đơn vị báo cáo": "For staff of the departments and reporting units",
    "Quên mật khẩu? Liên hệ quản trị hệ thống của Sở.": "Forgot your password? Ask your department's administrator.",
    "Người dùng và phân quyền": "Users and roles",
    "Vai trò được cấp trên một đơn vị và áp dụng cho mọi đơn vị trực thuộc. Mọi thay đổi được ghi nhật ký.":
        "A role is granted on a unit and covers every unit under it. Every change is logged.",
    "Cấp quyền": "Grant a role", "Tạo tài khoản": "Create an account", "Vai trò hiện có": "Current roles",
    "Thu hồi": "Revoke", "Chưa có vai trò nào.": "No roles yet.", "Thêm số liệu": "Figure added",
    "Sửa số liệu": "Figure changed", "Xóa số liệu": "Figure deleted", "Gửi báo cáo": "Submit",
    "Phê duyệt": "Approve", "Khóa số liệu": "Lock", "Mở lại": "Reopened", "Thu hồi quyền": "Role revoked",
    "giá trị": "value", "tính chất": "qualifier", "ghi chú": "comment", "đánh dấu": "flag", "trạng thái": "state",
    "vai trò": "role", "tài khoản": "account", "đơn vị": "unit", "họ tên": "full name", "thư điện tử": "e-mail",
    "quản trị hệ thống": "system administrator", "đang nhập": "draft", "đã gửi": "submitted", "đã duyệt": "approved",
    "đã khóa": "locked", "nhập liệu": "data entry", "phê duyệt": "approver", "xem": "viewer", "quản trị": "administrator",
    "Không có đơn vị mã '%(code)s'": "No unit with code '%(code)s'", "Không hiểu kỳ '%(text)s'": "Cannot read the period '%(text)s'",
    "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.":
        "Too many failed sign-ins. Please try again in %(minutes)s minutes.",
    "Không hiểu kỳ báo cáo '%(text)s' (ví dụ: 2022, quý I/2020, tháng 3/2022)":
        "Cannot read the period '%(text)s' (for example: 2022, quý I/2020, tháng 3/2022)",
    "%(user)s không được sửa số liệu %(unit)s %(period)s (%(state)s)":
        "%(user)s may not change the figures of %(unit)s %(period)s (%(state)s)",
    "Cần ghi lý do khi xóa số liệu đã có (ô để trống).": "A reason is needed to delete stored figures (emptied boxes).",
    "Đã lưu: %(changed)s giá trị thay đổi, %(removed)s giá trị xóa.": "Saved: %(changed)s values changed, %(removed)s deleted.",
    "Chưa chọn tệp": "No file chosen",
    "Đã nhập tệp: %(created)s giá trị mới, %(updated)s cập nhật, %(unchanged)s không đổi.":
        "File imported: %(created)s new values, %(updated)s updated, %(unchanged)s unchanged.",
    "Có %(n)s lỗi kiểm tra số liệu; xem bên dưới.": "%(n)s checks failed; see below.",
    "Chỉ quản trị viên được quản lý người dùng và phân quyền.": "Only administrators manage users and roles.",
    "Không có tài khoản '%(name)s'": "No account '%(name)s'", "Đã cấp quyền cho %(name)s.": "Role granted to %(name)s.",
    "Đã thu hồi quyền của %(name)s.": "Role of %(name)s revoked.", "Đã tạo tài khoản %(name)s.": "Account %(name)s created.",
    "Mở lại để sửa": "Reopen for correction", "Đã gửi số liệu %(unit)s %(period)s.": "Submitted %(unit)s %(period)s.",
    "Đã phê duyệt số liệu %(unit)s %(period)s.": "Approved %(unit)s %(period)s.",
    "Đã khóa số liệu %(unit)s %(period)s.": "Locked %(unit)s %(period)s.",
    "Đã mở lại số liệu %(unit)s %(period)s.": "Reopened %(unit)s %(period)s.",
    "Thao tác không hợp lệ: %(action)s": "Unknown action: %(action)s",
    "Năm": "Year", "6 tháng": "Half-year", "Quý": "Quarter", "Tháng": "Month",
    "Soạn nội dung, văn bản, nhiệm vụ": "Write narrative, documents, tasks",
    "Xem nội dung, văn bản, nhiệm vụ": "View narrative, documents, tasks",
    "Xem trước báo cáo": "Preview the report",
    "Bạn chỉ xem được phần này (không có quyền sửa, hoặc số liệu đã gửi/khóa).":
        "You can only view this part (no right to edit, or the period is submitted/locked).",
    "Nội dung báo cáo": "Report narrative",
    "Viết {mã chỉ tiêu} thay cho con số, [16/KH-UBND] để trích dẫn văn bản trong sổ; số liệu được điền khi lập báo cáo.":
        "Write {indicator code} instead of a number and [16/KH-UBND] to cite a registered document; figures are filled in when the report is made.",
    "Lưu": "Save", "Xóa": "Delete", "Chưa có nội dung nào cho kỳ này.": "No narrative for this period yet.",
    "Thêm nội dung": "Add narrative", "Thêm": "Add", "Sổ văn bản của kỳ": "Documents of the period",
    "Số, ký hiệu": "Number", "Loại": "Kind", "Ngày ban hành": "Issued on", "Trích yếu": "Subject",
    "Nguồn": "Origin", "Lý do xóa": "Reason for deleting", "Chưa có văn bản nào trong kỳ.": "No documents in this period.",
    "Thêm văn bản": "Add a document", "Thêm vào sổ": "Add to the register", "Thêm từ đoạn văn": "Add from a text",
    "Đọc các văn bản được trích dẫn": "Read the cited documents", "Nhiệm vụ": "Tasks",
    "Nhiệm vụ phải thực hiện trong kỳ": "Tasks due in this period", "Chủ trì": "Lead", "Kết quả": "Outcome",
    "Kết quả, lý do": "Outcome, reason", "Không có nhiệm vụ đến hạn trong kỳ.": "No tasks due in this period.",
    "Nhiệm vụ kỳ tới (đề ra trong kỳ này)": "Tasks for the next period (set in this one)",
    "Kỳ phải thực hiện": "Due period", "Chưa có nhiệm vụ kỳ tới.": "No tasks for the next period yet.",
    "Thêm nhiệm vụ": "Add a task", "chỉ tiêu": "indicator", "lĩnh vực": "field", "quy tắc kiểm tra": "validation rule",
    "có": "yes", "không": "no",
    "Ngày ghi dạng ngày/tháng/năm, ví dụ 24/02/2022": "Write the date as day/month/year, e.g. 24/02/2022",
    "Mục báo cáo": "Report section", "Loại văn bản": "Kind of document",
    "Dán đoạn văn có trích dẫn văn bản": "Paste a text that cites documents",
    "Nội dung nhiệm vụ": "Task", "Đơn vị chủ trì": "Lead unit",
    "Đã đọc %(n)s văn bản được trích dẫn.": "Read %(n)s cited documents.",
    "Thao tác không hợp lệ: %(op)s": "Unknown action: %(op)s",
    "%(user)s không được sửa nội dung báo cáo %(unit)s %(period)s (%(state)s)":
        "%(user)s may not edit the report narrative of %(unit)s %(period)s (%(state)s)",
    "Đã lưu.": "Saved.",
    # background jobs; the reports page
    "Tệp số liệu (CSV, XLSX hoặc JSON)": "File of figures (CSV, XLSX or JSON)",
    "Đơn vị (cho các dòng không ghi đơn vị)": "Unit (for rows that name none)",
    "Tệp ZIP chứa các báo cáo (.txt, .md, .docx, .pdf)": "ZIP file of reports (.txt, .md, .docx, .pdf)",
    "Tỉnh (khi văn bản không ghi)": "Province (when the text does not say)",
    "Kỳ báo cáo (khi văn bản không ghi)": "Reporting period (when the text does not say)",
    "Chỉ ghi số; ký hiệu BC-… do mẫu báo cáo ghi. Để trống đến khi vào sổ.":
        "Digits only; the template writes the BC-… symbol. Leave empty until registered.",
    "Chức vụ người ký thay": "Title of the deputy signing", "Khi ký thay: PHÓ GIÁM ĐỐC": "When signing for: PHÓ GIÁM ĐỐC",
    "Nơi nhận (mỗi dòng một nơi)": "Recipients (one per line)",
    "Tác vụ nền": "Background jobs", "Tác vụ": "Job", "Tạo bởi": "Created by", "lúc": "at", "lần chạy": "attempt",
    "Hủy": "Cancel", "Bắt đầu": "Started", "Hàng đợi": "Queue", "Chi tiết kỹ thuật (traceback)": "Technical details (traceback)",
    "Chưa có.": "None yet.",
    "Việc dài chạy nền: nhập tệp số liệu lớn, trích xuất nhiều báo cáo, viết báo cáo cho mọi tỉnh. Tiến độ cập nhật tự động; việc lỗi ghi rõ lý do và có thể chạy lại.":
        "Long work runs in the background: big imports, extracting many reports, writing every province's report. Progress updates by itself; a failed job says why and can be retried.",
    "Cột: indicator, unit, period, value (qualifier, is_target, comment tùy chọn). Tất cả hoặc không: một dòng sai thì không dòng nào được lưu. Tối đa %(size)s.":
        "Columns: indicator, unit, period, value (qualifier, is_target, comment optional). All or nothing: one wrong row and no row is stored. At most %(size)s.",
    "Một tệp ZIP các báo cáo (.txt, .md, .docx, .pdf): mỗi báo cáo ra một tệp JSON số liệu và văn bản, tải về trong một tệp ZIP. Báo cáo từng tệp và duyệt số liệu: trang Đọc báo cáo.":
        "A ZIP of reports (.txt, .md, .docx, .pdf): each report gives a JSON file of figures and documents, downloaded as one ZIP. One report at a time with review: the Read reports page.",
    "Việc": "Work", "Tạo lúc": "Created", "Tiến độ": "Progress", "Chi tiết": "Details",
    "xem trước, tải DOCX/PDF, thông tin ban hành và người ký": "preview, DOCX/PDF downloads, issuing details and signer",
    "Bản để ký": "Version to sign",
    "%(n)s điểm cần xem lại trước khi ký": ("%(n)s point to review before signing", "%(n)s points to review before signing"),
    "Không có: mọi số liệu đã có và đạt các quy tắc kiểm tra.": "None: every figure is there and passes the checks.",
    "Lưu lần cuối bởi %(who)s lúc %(when)s.": "Last saved by %(who)s at %(when)s.",
    "Lưu thông tin ban hành": "Save issuing details",
    "Chỉ người nhập liệu hoặc phê duyệt của đơn vị được sửa thông tin ban hành.":
        "Only the unit's data-entry officers and approvers may change the issuing details.",
    "Viết báo cáo cho mọi tỉnh": "Write every province's report",
    "%(n)s tỉnh, thành phố trong phạm vi của bạn, %(period)s: chạy nền, tải về một tệp ZIP khi xong.":
        ("%(n)s province in your scope, %(period)s: runs in the background, one ZIP to download when done.",
         "%(n)s provinces in your scope, %(period)s: runs in the background, one ZIP to download when done."),
    "Định dạng": "Format", "Tác vụ #%(old)s chạy lại thành #%(new)s.": "Job #%(old)s retried as #%(new)s.",
    "Đã yêu cầu hủy tác vụ #%(id)s.": "Asked job #%(id)s to cancel.",
    "Đã đưa tệp %(name)s vào hàng đợi (tác vụ #%(id)s).": "File %(name)s queued (job #%(id)s).",
    "Đã đưa %(n)s báo cáo vào hàng đợi trích xuất (tác vụ #%(id)s).": "%(n)s reports queued for extraction (job #%(id)s).",
    "Đã lưu thông tin ban hành của báo cáo %(period)s.": "Saved the issuing details of the %(period)s report.",
    "Đã đưa vào hàng đợi: viết báo cáo %(period)s (tác vụ #%(id)s).": "Queued: writing the %(period)s reports (job #%(id)s).",
    "Lý do (ghi vào nhật ký)": "Reason (written to the audit log)", "Số báo cáo": "Report number",
    "Ngày ký": "Date signed", "Thẩm quyền ký": "Signing authority", "Người ký": "Signer",
    "chạy lại của": "retry of", "Tải kết quả": "Download the result", "Chạy lại": "Retry", "Kết thúc": "Finished",
    "Lỗi": "Error", "Tham số": "Parameters", "Nhập tệp số liệu lớn": "Import a big file of figures",
    "Trích xuất nhiều báo cáo": "Extract many reports", "Trích xuất": "Extract", "Tác vụ gần đây": "Recent jobs",
    "Người tạo": "Created by", "Chưa có tác vụ nền nào.": "No background jobs yet.",
    "Tài khoản của bạn chưa được phân quyền xem báo cáo của tỉnh hoặc Sở nào.":
        "Your account has no role on any province or department yet.",
    "Xem trước": "Preview", "Tải DOCX": "Download DOCX", "Tải PDF": "Download PDF",
    "Số liệu và nội dung": "Figures and content", "Thông tin ban hành": "Issuing details", "Viết tất cả": "Write all",
    "Kỳ báo cáo không hợp lệ: %(text)s": "Not a reporting period: %(text)s",
    "chưa đủ kỳ/đơn vị": "incomplete periods/units",
    "Thiếu số liệu của một số kỳ hoặc đơn vị thành phần": "Some sub-periods or member units have no figure",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fill(po_text: str) -> tuple[str, list[str]]:
    blocks = po_text.split("\n\n")
    missing: list[str] = []
    header = re.sub(r"\A(#.*\n)+", "# English messages of the baocao web app (source language: Vietnamese).\n", blocks[0])
    header = header.replace('"Project-Id-Version: PACKAGE VERSION\\n"', '"Project-Id-Version: baocao\\n"')
    header = header.replace('"Language: \\n"', '"Language: en\\n"')
    out = [header]
    for block in blocks[1:]:
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not match:
            out.append(block)
            continue
        msgid = "".join(ast.literal_eval(line) for line in match.group(1).strip().split("\n"))
        english = EN.get(msgid)
        if english is None:
            missing.append(msgid)
            out.append(block)
            continue
        block = re.sub(r"^#, fuzzy.*\n", "", block, flags=re.M)
        if isinstance(english, tuple):
            block = re.sub(r'^msgstr\[0\] ".*"$', "msgstr[0] " + _quote(english[0]), block, flags=re.M)
            block = re.sub(r'^msgstr\[1\] ".*"$', "msgstr[1] " + _quote(english[1]), block, flags=re.M)
        else:
            block = re.sub(r'^msgstr ".*"(\n".*")*', "msgstr " + _quote(english), block, flags=re.M)
        out.append(block)
    return "\n\n".join(out), missing


def main() -> None:
    text, missing = fill(PO.read_text(encoding="utf-8"))
    PO.write_text(text, encoding="utf-8")
    for msgid in missing:
        print("untranslated:", msgid)
    subprocess.run(["msgfmt", "--check-format", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)


if __name__ == "__main__":
    main()
