"""Report templates: default.yaml, province overrides, report types and dated names (no database)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from baocao.core.periods import PeriodType
from baocao.reports.config import CONFIG_DIR, ConfigError, load_config, render_text

TRA_VINH = ["P63-84", "P63-84-STTTT"]


def _keys(config) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.key for s in config.all_sections()]


def test_the_default_structure_follows_the_corpus_reports() -> None:
    config = load_config(["P01-01"], PeriodType.QUARTER, date(2020, 3, 20))
    assert [s.heading for s in config.sections] == [
        "CÔNG TÁC QUẢN LÝ NHÀ NƯỚC",
        "CÔNG TÁC TỔNG HỢP",
        "ĐÁNH GIÁ CHUNG",
        "PHƯƠNG HƯỚNG, NHIỆM VỤ {next_upper}",
    ]
    assert _keys(config)[:7] == ["qlnn", "vb", "bc", "vt", "cntt", "attt", "tttt"]
    assert "xa_do_dau" not in _keys(config)


def test_a_province_file_adds_a_section_and_its_recipients() -> None:
    config = load_config(TRA_VINH, PeriodType.YEAR, date(2022, 12, 20))
    assert config.files == ("default.yaml", "P63-84.yaml")
    tong_hop = next(s for s in config.sections if s.key == "tong_hop")
    assert [c.key for c in tong_hop.children][-1] == "xa_do_dau"
    assert "Đại diện Văn phòng Bộ tại thành phố Hồ Chí Minh" in config.get("recipients")
    quarter = load_config(TRA_VINH, PeriodType.QUARTER, date(2020, 3, 20))
    assert "Đại diện Văn phòng Bộ tại thành phố Hồ Chí Minh" not in quarter.get("recipients")


def test_report_types_change_subject_and_headings() -> None:
    year = load_config(TRA_VINH, PeriodType.YEAR, date(2022, 12, 20))
    quarter = load_config(TRA_VINH, PeriodType.QUARTER, date(2020, 3, 20))
    assert year.get("subject").startswith("Kết quả công tác thông tin và truyền thông {period}")
    assert quarter.get("subject") == "Công tác {period} và kế hoạch công tác {next}"
    heading = {s.key: s.heading for s in year.all_sections()}["phuong_huong"]
    assert heading == "KẾ HOẠCH CÔNG TÁC {next_upper}"


def test_names_follow_the_date_of_the_report() -> None:
    before = load_config(TRA_VINH, PeriodType.QUARTER, date(2025, 2, 20))
    after = load_config(TRA_VINH, PeriodType.QUARTER, date(2025, 3, 20))
    assert before.get("report_to").startswith("Bộ Thông tin và Truyền thông")
    assert after.get("report_to").startswith("Bộ Khoa học và Công nghệ")


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    shutil.copy(CONFIG_DIR / "default.yaml", tmp_path / "default.yaml")
    return tmp_path


def test_an_override_patches_hides_and_reorders_without_code(config_dir: Path) -> None:
    (config_dir / "P99.yaml").write_text(
        """
sections:
  vb: {heading: "Công tác tham mưu ban hành văn bản"}
  attt: {hidden: true}
  tong_hop:
    order: [thanh_tra, van_phong]
signer: {authority: "KT. GIÁM ĐỐC", title: "PHÓ GIÁM ĐỐC", name: "Nguyễn Văn A"}
""",
        encoding="utf-8",
    )
    config = load_config(["P99"], PeriodType.YEAR, date(2022, 12, 20), directory=config_dir)
    sections = {s.key: s for s in config.all_sections()}
    assert sections["vb"].heading == "Công tác tham mưu ban hành văn bản"
    assert sections["attt"].hidden
    tong_hop = sections["tong_hop"]
    assert [c.key for c in tong_hop.children][:2] == ["thanh_tra", "van_phong"]
    assert config.get("signer")["name"] == "Nguyễn Văn A"


def test_a_patch_of_an_unknown_section_names_the_file(config_dir: Path) -> None:
    (config_dir / "P99.yaml").write_text("sections:\n  khong_co: {heading: x}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"P99\.yaml.*khong_co"):
        load_config(["P99"], PeriodType.YEAR, date(2022, 12, 20), directory=config_dir)


def test_broken_yaml_names_file_and_line(config_dir: Path) -> None:
    (config_dir / "P99.yaml").write_text("title: 'BÁO CÁO\nsubject: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"P99\.yaml, dòng \d+"):
        load_config(["P99"], PeriodType.YEAR, date(2022, 12, 20), directory=config_dir)


def test_an_unknown_name_in_a_text_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"subject.*\{ky_bao_cao\}"):
        render_text("Báo cáo {ky_bao_cao}", {"period": "năm 2022"}, where="subject")


def test_a_file_is_parsed_once_and_again_when_it_changes(config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report page reads the templates on every request: a file's parse is kept by its text,
    and a file changed in place — the same size, within the same clock tick — is read anew."""
    import baocao.reports.config as config_module

    parsed: list[str] = []
    parse = config_module._parse
    monkeypatch.setattr(config_module, "_parse", lambda name, text: parsed.append(name) or parse(name, text))
    override = config_dir / "P99.yaml"
    override.write_text('signer: {name: "Nguyễn Văn A"}\n', encoding="utf-8")
    first = load_config(["P99"], PeriodType.YEAR, date(2022, 12, 20), directory=config_dir)
    first.data["signer"]["name"] = "changed by a caller"  # a copy: the kept parse is not touched
    again = load_config(["P99"], PeriodType.YEAR, date(2022, 12, 20), directory=config_dir)
    assert again.data["signer"]["name"] == "Nguyễn Văn A"
    override.write_text('signer: {name: "Nguyễn Văn B"}\n', encoding="utf-8")
    changed = load_config(["P99"], PeriodType.YEAR, date(2022, 12, 20), directory=config_dir)
    assert changed.data["signer"]["name"] == "Nguyễn Văn B"
    assert parsed.count("P99.yaml") == 2 and parsed.count("default.yaml") <= 1
