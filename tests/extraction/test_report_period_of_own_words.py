"""The report's own period read from its words alone (no --period hint): the classes of press
texts whose period came out as the year, a wrong year or none although the text says it."""

from __future__ import annotations

import pytest

from baocao.core.periods import Period
from baocao.extraction import extract_text


def period_of(text: str) -> str | None:
    found = extract_text(text)["period"]
    return None if found is None else Period.from_dict(found).code


@pytest.mark.parametrize(
    ("text", "period"),
    [
        # a month's scores made public, in the headline and the body
        (
            "Công bố chỉ số phục vụ người dân, doanh nghiệp tháng 7/2024\n\n21/07/2024 10:05\n"
            "Văn phòng UBND tỉnh công bố chỉ số phục vụ người dân, doanh nghiệp tháng 7/2024: tỉnh đạt "
            "82,4/100 điểm, xếp thứ 9/63.",
            "202407",
        ),
        # a day something began, told as done, dates an undated text
        (
            "Từ ngày 1/10/2022, Trung tâm Phục vụ hành chính công tỉnh chính thức đi vào hoạt động, đã "
            "tiếp nhận 5.600 hồ sơ, trong đó 2.100 hồ sơ trực tuyến.",
            "2022",
        ),
        # … but a day something will begin does not
        (
            "Năm 2021, toàn tỉnh có 1.200 trạm BTS. Từ ngày 1/1/2022, tỉnh sẽ dùng chữ ký số cho mọi "
            "văn bản, Sở đã cấp đủ chứng thư.",
            "2021",
        ),
        # the movement "Bình dân học vụ số" is of 2025 or later
        (
            "Các xã đã mở 300 lớp \"Bình dân học vụ số\" cho người dân; toàn tỉnh có 1.050 tổ công nghệ "
            "số cộng đồng với 6.300 thành viên.",
            "2025",
        ),
        # nine months of a year opening a clause, and the last three months' tasks
        (
            "Theo Sở, 9 tháng năm 2023, tỉnh tiếp nhận 210.000 hồ sơ, tỷ lệ trực tuyến đạt 68%; năm 2022 "
            "tỉnh xếp thứ 30 về chỉ số chuyển đổi số.",
            "2023Q3",
        ),
        (
            "Hội nghị đánh giá kết quả chuyển đổi số và bàn giải pháp cho 3 tháng cuối năm 2023. Toàn "
            "tỉnh có 2.400 trạm BTS; năm 2022 có 2.300 trạm.",
            "2023Q3",
        ),
        # a list of years: nine months of one of them are that year's
        ("Năm 2020 phạt 10 triệu đồng; 9 tháng năm 2021 phạt 25 triệu đồng.", "2021"),
        # second-half tasks without a year, on a dated page
        (
            "22/7/2021 - Sở sơ kết công tác, bàn nhiệm vụ 6 tháng cuối năm; toàn tỉnh cấp 800 chữ ký số.",
            "2021S1",
        ),
        # an anniversary: the year the years counted reach, not the founding year nor a past figure
        (
            "Sở Bưu chính, Viễn thông được thành lập năm 2004. Sau 20 năm xây dựng và phát triển, năm "
            "2004 toàn tỉnh mới có 40 trạm BTS, đến nay đã có 1.900 trạm.",
            "2024",
        ),
        (
            "Tròn 15 năm thành lập Sở Thông tin và Truyền thông\n\nSở được thành lập tháng 4/2008. Hiện "
            "toàn tỉnh có 1.300 trạm BTS.",
            "2023",
        ),
        # a month opening its sentence with its year, or without on a page of the month after
        (
            "Tháng 5/2024, Bộ phận Một cửa tiếp nhận 6.200 hồ sơ, tỷ lệ trực tuyến đạt 74%; năm 2023 tỷ lệ "
            "này là 60%.",
            "202405",
        ),
        ("04/6/2024 09:00\n(THT) Tháng 5, Trung tâm tiếp nhận 6.200 hồ sơ, 74% trực tuyến.", "202405"),
        # December's state is the year's
        ("Tháng 12/2024, tỷ lệ hồ sơ trực tuyến của tỉnh duy trì ở mức 85%.", "2024"),
        # a month named without its year on a page of another month says nothing of the page's
        ("04/9/2024 09:00\nTháng 5, Trung tâm tiếp nhận 6.200 hồ sơ, 74% trực tuyến.", "2024"),
        # this month, this quarter, the month and quarter before, on a dated page
        ("Thứ Sáu, 27/9/2024\nTrong tháng này, tỉnh cấp 400 chữ ký số.", "202409"),
        ("Thứ Sáu, 27/9/2024\nTrong quý này, tỉnh cấp 1.400 chữ ký số.", "2024Q3"),
        ("Thứ Hai, 02/12/2024\nTháng vừa qua, tỉnh cấp 420 chữ ký số, tăng so với tháng trước.", "202411"),
        ("Thứ Hai, 07/10/2024\nTrong quý vừa qua, tỉnh cấp 1.300 chữ ký số.", "2024Q3"),
        # … a comparison with the month before is no vote
        ("Thứ Hai, 02/12/2024\nSố chữ ký số cấp mới tăng 5% so với tháng trước.", "2024"),
        # "năm qua": the year just ended early in the year, the page's own at its end, nothing between
        ("Thứ Tư, 12/02/2025\nNăm qua, ngành cấp 6.000 chữ ký số cho cán bộ.", "2024"),
        ("Thứ Tư, 10/12/2025\nNăm qua, ngành cấp 6.000 chữ ký số cho cán bộ.", "2025"),
        ("Thứ Tư, 16/07/2025\nNăm qua, ngành cấp 6.000 chữ ký số. Năm 2024, tỉnh xếp thứ 12.", "2024"),
        ("10/02/2025 - Năm qua, ngành cấp 6.000 chữ ký số cho cán bộ.", "2024"),
        # an undated text naming its half, nine months, quarter or month without a year: that
        # part of the year it is found to be of, not of the year it compares with
        (
            "Sáu tháng đầu năm, Bộ phận Một cửa tiếp nhận 52.000 hồ sơ, tăng 14% so với cùng kỳ năm 2021.",
            "2022S1",
        ),
        (
            "Chín tháng đầu năm, Bộ phận Một cửa tiếp nhận 52.000 hồ sơ, tăng 14% so với cùng kỳ năm 2021.",
            "2022Q3",
        ),
        ("Trong quý II, tỉnh cấp 700 chữ ký số, bằng 120% cùng kỳ 2022.", "2023Q2"),
        ("Trong tháng 8, tỉnh cấp 250 chữ ký số, tăng 5% so với cùng kỳ năm 2022.", "202308"),
        # … and a month compared with the same month of the year before
        ("Tháng 8, tỉnh cấp 250 chữ ký số, tăng 5% so với tháng 8/2022.", "202308"),
        # an undated review of nine months of a year, beside its year's review: the votes decide
        (
            "Sở tổng kết năm 2019. Trong 9 tháng đầu năm 2019, tỉnh tiếp nhận 800 hồ sơ; 9 tháng đầu năm "
            "có 19 hồ sơ mức 4.",
            "2019",
        ),
        # a text counting from a year's start takes that year for its half
        ("Từ đầu năm 2022 đến nay, tỉnh lắp 60 trạm BTS. Trong 6 tháng đầu năm, cấp 900 chữ ký số.", "2022S1"),
    ],
)
def test_the_period_a_text_tells_in_its_own_words(text: str, period: str) -> None:
    assert period_of(text) == period


def test_a_month_merely_mentioned_is_not_the_texts_period() -> None:
    # a month with its year inside a sentence, no comma after: a stock at that month, the year's
    text = "Năm 2019 là năm bứt phá. Đến cuối năm, tổng số thuê bao tháng 6/2019 và cả năm đều tăng."
    assert period_of(text) == "2019"


@pytest.mark.parametrize(
    ("text", "period"),
    [
        # a monthly report's title: "tháng 5 năm 2024" is a month, not a date
        (
            "SỞ THÔNG TIN VÀ TRUYỀN THÔNG\nBÁO CÁO\nKết quả thực hiện nhiệm vụ tháng 5 năm 2024\n\nI. KẾT "
            "QUẢ\nNăm 2023, tỉnh xếp thứ 20. Trong tháng, Sở cấp 300 chữ ký số.",
            "202405",
        ),
        # … whose header dates it with a day, or a month alone after the place
        (
            "Số: 88/BC-STTTT\nLai Châu, ngày 28 tháng 6 năm 2024\nBÁO CÁO\nKết quả công tác tháng 6 năm 2024"
            "\n\nI. KẾT QUẢ\nNăm 2023 có 300 trạm.",
            "202406",
        ),
        (
            "Lai Châu, tháng 7 năm 2024\n\nTình hình ứng dụng công nghệ thông tin\n\nToàn tỉnh có 300 trạm "
            "BTS.\n\nTrên đây là kết quả công tác 6 tháng đầu năm 2024 của Sở.",
            "2024S1",
        ),
        # a month without its year before the next month's plan takes that month's year …
        (
            "BÁO CÁO\nTình hình thực hiện nhiệm vụ tháng 10 và phương hướng nhiệm vụ tháng 11 năm 2023\n\n"
            "I. KẾT QUẢ\nTrong tháng, Sở cấp 300 chữ ký số.",
            "202310",
        ),
        # … the year before when that month is January
        (
            "BÁO CÁO\nKết quả công tác tháng 12 và phương hướng nhiệm vụ tháng 01 năm 2024\n\nI. KẾT QUẢ\n"
            "Trong tháng, Sở cấp 300 chữ ký số.",
            "202312",
        ),
    ],
)
def test_the_period_a_reports_title_names(text: str, period: str) -> None:
    assert period_of(text) == period
