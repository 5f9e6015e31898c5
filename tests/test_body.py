"""Where the document lies inside a saved portal page (extractors/body.py),
on the pages of the dev set (../shared/eval/dev, crawled from a legal portal)
and on the site-text patterns' own examples."""

from __future__ import annotations

import re

import pytest

from cancu.extractors.body import Body, _patterns, find_body, mask_outside
from cancu.extractors.regexes import load_data

from .conftest import PLANS, SHARED, require

DEV = SHARED / "eval" / "dev"


def dev_text(name: str) -> str:
    path = DEV / name
    require(path.exists(), f"the dev set ({path})")
    return path.read_text(encoding="utf-8")


def test_every_site_text_pattern_matches_its_examples():
    data = load_data("site_text.json")
    for group in ("head", "tail"):
        for entry in data[group]:
            for ex in entry["examples"]:
                assert re.search(entry["pattern"], ex, re.M), (group, entry["pattern"], ex)
    title = data["generated_title"]
    for ex in title["examples"]:
        assert re.fullmatch(title["pattern"], ex), ex
    for ex in title["counterexamples"]:
        assert not re.fullmatch(title["pattern"], ex), ex
    motto = _patterns()[0]
    for entry in data["mottos"]:
        for ex in entry["examples"]:
            assert motto.fullmatch(ex.strip("*")), ex


def test_no_site_text_pattern_matches_a_bundled_plan():
    # the plans are documents only: nothing in them may be taken for site text
    for path in sorted(PLANS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        body = find_body(text)
        assert (path.name, body.end) == (path.name, len(text))


def test_party_conclusion_page_body_is_the_conclusion_only():
    # dev/265ff514762b4c47.md: Kết luận 221-KL/TW as saved from the portal
    text = dev_text("265ff514762b4c47.md")
    body = find_body(text)
    inside = text[body.start : body.end]
    assert inside.startswith("**BAN\nCHẤP HÀNH TRUNG ƯƠNG**")
    assert inside.endswith("**T/M BỘ CHÍNH\nTRỊ**\nTrần Cẩm Tú")
    # the banner, the metadata table, the generated title, the related
    # documents and the privacy notice (which cites 13/2023/NĐ-CP) lie outside
    assert "THƯ VIỆN PHÁP LUẬT" not in inside
    assert "13/2023/NĐ-CP" not in inside and "13/2023/NĐ-CP" in text[body.end :]
    assert "Văn bản liên quan" not in inside
    assert "Số hiệu:" not in inside


def test_decision_page_keeps_its_appendix_and_drops_the_generated_title():
    # dev/14893cd21e801bb3.md: Quyết định 2015/QĐ-UBND of An Giang with its annex
    text = dev_text("14893cd21e801bb3.md")
    body = find_body(text)
    inside = text[body.start : body.end]
    assert inside.startswith("**ỦY BAN NHÂN DÂN**\nTỈNH AN GIANG")
    assert "Quyết định 2015/QĐ-UBND năm 2025 công bố" not in inside
    assert inside.rstrip().endswith("chuyên môn về đấu thầu")


def test_a_file_without_site_text_is_read_whole():
    # dev/001c610b2efdcf0c.md: a decision of Thành phố Hồ Chí Minh saved without the portal's frame
    text = dev_text("001c610b2efdcf0c.md")
    body = find_body(text)
    assert (body.start, body.end) == (2, len(text))  # the leading "|\n" is a table border
    assert text[body.start :].startswith("**ỦY BAN NHÂN\nDÂN **\nTHÀNH PHỐ HỒ CHÍ MINH")


def test_a_motto_quoted_in_an_article_does_not_start_a_body():
    # corpus c7a45803d6952d86.md: an article quoting the national motto (Nghị định 34/2016/NĐ-CP)
    text = (
        "# Tiêu ngữ là gì?\n\nCăn cứ theo khoản 2 Điều 56 Nghị định 34/2016/NĐ-CP có định nghĩa về "
        "Tiêu ngữ Việt Nam như sau:\n\nQuốc hiệu và Tiêu ngữ\n\n1. Quốc hiệu là: “CỘNG HÒA XÃ HỘI CHỦ NGHĨA "
        "VIỆT NAM”. Quốc hiệu được trình bày bằng chữ in hoa\n"
    )
    assert find_body(text) == Body(0, len(text))
    # corpus 9f2dfc5b60ded9bf.md: a heading that opens with the Party's name
    heading = (
        "**( Ban thanh niên ) Đảng Cộng sản Việt Nam do Chủ tịch Hồ Chí Minh sáng lập. **\n\n"
        "I- ĐẢNG CỘNG SẢN VIỆT NAM RA ĐỜI CHẤM DỨT SỰ KHỦNG HOẢNG VỀ ĐƯỜNG LỐI\n"
    )
    assert find_body(heading) == Body(0, len(heading))


def test_article_footer_is_site_text():
    # corpus a3e762150ade4933.md: the Q&A footer under every article
    text = (
        "+ Việc xử lý tai nạn hàng hải thực hiện theo quy định tại Bộ luật Hàng hải Việt Nam 2015.\n\n"
        "Quý khách cần hỏi thêm thông tin về có thể đặt câu hỏi tại đây."
    )
    body = find_body(text)
    assert text[body.start : body.end] == (
        "+ Việc xử lý tai nạn hàng hải thực hiện theo quy định tại Bộ luật Hàng hải Việt Nam 2015."
    )
    assert body.to_dict(len(text)) == {"start": 0, "end": 89, "left_out": len(text) - 89}


@pytest.mark.parametrize("name", ["265ff514762b4c47.md", "1095764e502a89b8.md"])
def test_masking_keeps_offsets(name):
    text = dev_text(name)
    body = find_body(text)
    masked = mask_outside(text, body)
    assert len(masked) == len(text)
    assert masked.count("\n") == text.count("\n")
    assert masked[body.start : body.end] == text[body.start : body.end]
    assert not masked[: body.start].strip() and not masked[body.end :].strip()


def test_the_privacy_notice_under_a_portal_page_is_not_cited():
    # dev/1095764e502a89b8.md: Công điện 224/CĐ-TTg saved from the portal, whose
    # privacy notice below it cites Nghị định 13/2023/NĐ-CP twice
    from cancu.extractors.pipeline import extract_text

    text = dev_text("1095764e502a89b8.md")
    rec = extract_text(text, "1095764e502a89b8.md")
    assert "13/2023/NĐ-CP" in text
    assert "13/2023/NĐ-CP" not in {c.key for c in rec.citations}
    body = find_body(text)
    assert (rec.body.start, rec.body.end) == (body.start, body.end)
    assert rec.body.left_out == body.start + len(text) - body.end
    assert all(rec.body.start <= c.start < c.end <= rec.body.end for c in rec.citations)
    assert rec.self.key == "224/CĐ-TTg"


def test_a_plan_without_site_text_reads_whole():
    from cancu.extractors.pipeline import extract_text

    text = (PLANS / "yen-bai-2024-ttdn.txt").read_text(encoding="utf-8")
    rec = extract_text(text, "yen-bai-2024-ttdn.txt")
    assert rec.body.to_dict() == {"start": 0, "end": len(text), "left_out": 0}


def test_an_own_number_wrapped_under_so_is_not_a_citation():
    # dev/001c610b2efdcf0c.md, the heading's table cell: "Số:" then the number on its own line
    from cancu.extractors.pipeline import extract_text

    text = dev_text("001c610b2efdcf0c.md")
    assert "Số:\n2820/QĐ-UBND" in text
    rec = extract_text(text, "001c610b2efdcf0c.md")
    assert rec.self.key == "2820/QĐ-UBND"
    assert "2820/QĐ-UBND" not in {c.key for c in rec.citations}


def test_the_headline_reads_lines_as_splitlines_does():
    """The headline's lines are read a piece (1,024 characters) at a time:
    they are those of ``str.splitlines``, a line break split between two
    pieces ("\\r" | "\\n") and a line longer than a piece too."""
    from cancu.extractors.pipeline import _lines, headline

    plan = (PLANS / "yen-bai-2024-ttdn.txt").read_text(encoding="utf-8")
    crlf = plan.replace("\n", "\r\n")
    one_line = " ".join(plan.split("\n")) + "\r\n" + plan
    for text in (plan, crlf, one_line):
        assert list(_lines(text, 0, len(text))) == text.splitlines()
        for a, b in ((1000, 5000), (1023, 1025), (7, len(text) - 3), (2048, 2048)):
            assert list(_lines(text, a, b)) == text[a:b].splitlines()
    # a title after 1,500 blank lines is found (data/plans/yen-bai-2024-ttdn.txt)
    assert headline("\r\n" * 1500 + plan) == headline(plan) == "KẾ HOẠCH"
    # an end past the text's end is the text's end, as for a slice
    assert headline("\r\n\r\nKẾ HOẠCH", 0, 10**6) == "KẾ HOẠCH"
    assert list(_lines(plan, 100, len(plan) + 5000)) == plan[100:].splitlines()
