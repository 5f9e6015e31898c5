"""The document's own identity (extractors.selfinfo): headers, authority
lines, signatures, dates, titles and the keys a text uses for itself, on
real headers and signature blocks (each fixture cites its file)."""

from __future__ import annotations

from datetime import date

import pytest

from cancu.extractors.find import find_designators
from cancu.extractors.selfinfo import (
    body_name,
    describe,
    header_bodies,
    province_on,
    sentence_case,
    signature,
)

from .conftest import PLANS


def _describe(text: str) -> dict:
    return describe(text, [d for d in find_designators(text) if d.own_number])


# dev: 14893cd21e801bb3.md (corpus: vn-legal-2025/14893cd21e801bb3.md), header to signature, shortened
AN_GIANG = """**ỦY BAN NHÂN DÂN**
TỈNH AN GIANG
-------
|
**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 2015/QĐ-UBND
|
*An Giang, ngày 18 tháng 11 năm 2025*
|
** **
**QUYẾT ĐỊNH**
VỀ VIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC SỬA ĐỔI, BỔ SUNG, BÃI BỎ LĨNH VỰC ĐẤU THẦU THUỘC PHẠM VI CHỨC NĂNG QUẢN LÝ CỦA SỞ TÀI CHÍNH TỈNH AN GIANG
**CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG**
*Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025; *
*Xét đề nghị của Giám đốc Sở Tài chính tại Tờ trình số 536/TTr-STC ngày 13 tháng 11 năm 2025.*
**QUYẾT ĐỊNH:**
**Điều 1. **Công bố kèm theo Quyết định này danh mục thủ tục hành chính lĩnh vực đấu thầu thuộc phạm vi chức năng quản lý của Sở Tài chính.
|
Nơi nhận:
- Như Điều 4;
- Lưu: VT, nhdang.
|
**KT. CHỦ TỊCH**
PHÓ CHỦ TỊCH
Nguyễn Thanh Phong
|
**DANH MỤC**
(Kèm theo Quyết định số 2015/QĐ-UBND ngày 18 tháng 11 năm 2025 của Chủ tịch Ủy ban nhân dân tỉnh)
"""


def test_decision_of_a_chairman():
    info = _describe(AN_GIANG)
    assert {k: info[k] for k in ("doc_type", "key", "province", "year", "status", "issuer", "signer", "title")} == {
        "doc_type": "Quyết định",
        "key": "2015/QĐ-UBND",
        "province": "An Giang",
        "year": 2025,
        "status": "issued",
        "issuer": "Chủ tịch Ủy ban nhân dân tỉnh An Giang",
        "signer": "Nguyễn Thanh Phong",
        "title": "Về việc công bố danh mục thủ tục hành chính được sửa đổi, bổ sung, bãi bỏ lĩnh vực đấu thầu "
        "thuộc phạm vi chức năng quản lý của Sở Tài chính tỉnh An Giang",
    }
    assert info["own_keys"] == ["2015/QĐ-UBND"]


# dev: 265ff514762b4c47.md, the Party centre's header and the Politburo's signature
PARTY = """**BAN CHẤP HÀNH TRUNG ƯƠNG**
*
|
**ĐẢNG CỘNG SẢN VIỆT NAM**
---------------
|
|
Số 221-KL/TW
|
*Hà Nội, ngày 28 tháng 11 năm 2025*
|
**KẾT LUẬN**
CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ VỀ TÌNH HÌNH, KẾT QUẢ HOẠT ĐỘNG CỦA BỘ MÁY HỆ THỐNG CHÍNH TRỊ VÀ CHÍNH QUYỀN ĐỊA PHƯƠNG 2 CẤP
----- Tại phiên họp ngày 28/11/2025, sau khi nghe Báo cáo của Ban Tổ chức Trung ương về tình hình, kết quả hoạt động của bộ máy hệ thống chính trị và chính quyền địa phương 2 cấp tháng 11/2025, Bộ Chính trị, Ban Bí thư kết luận như sau:
*(Kèm theo Báo cáo số 565-BC/BTCTW, ngày 27/11/2025 của Ban Tổ chức Trung ương).*
|
*Nơi nhận:*
- Lưu Văn phòng Trung ương Đảng.
|
**T/M BỘ CHÍNH TRỊ**
Trần Cẩm Tú
"""  # noqa: E501


def test_party_conclusion_issued_by_the_politburo():
    info = _describe(PARTY)
    assert (info["doc_type"], info["key"], info["province"], info["issuer"], info["signer"]) == (
        "Kết luận",
        "221-KL/TW",
        None,
        "Bộ Chính trị",
        "Trần Cẩm Tú",
    )
    # the title ends where the heading ends, not in the first paragraph
    assert info["title"] == (
        "Của Bộ Chính trị, Ban Bí thư về tình hình, kết quả hoạt động của bộ máy hệ thống chính trị "
        "và chính quyền địa phương 2 cấp"
    )
    # a report attached to the conclusion is a citation, not the text itself
    assert info["own_keys"] == ["221-KL/TW"]


# dev: 8bfc5490255c4de0.md, a central Party board under "BAN CHẤP HÀNH TRUNG ƯƠNG"
def test_party_board_takes_the_centre_in_its_name():
    block = "BAN CHẤP HÀNH TRUNG ƯƠNG\n**BAN TUYÊN GIÁO VÀ DÂN VẬN**\n*\n|\n**ĐẢNG CỘNG SẢN VIỆT NAM**\n"
    names = header_bodies(block)
    assert names == ["BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TUYÊN GIÁO VÀ DÂN VẬN"]
    text = block + "Số 37-HD/BTGDVTW\n*Hà Nội, ngày 19 tháng 11 năm 2025*\n**HƯỚNG DẪN**\nVỀ VIỆC ĐỔI MỚI\n------\n"
    text += "**K/T TRƯỞNG BAN**\nPHÓ TRƯỞNG BAN\n**Phạm Tất Thắng**\n"
    info = _describe(text)
    assert (info["issuer"], info["signer"], info["key"]) == (
        "Ban Tuyên giáo và Dân vận Trung ương",
        "Phạm Tất Thắng",
        "37-HD/BTGDVTW",
    )


@pytest.mark.parametrize(
    "block, names",
    [
        # seed: 003_8437af1b69e885c0.txt, a parent over its body
        ("UBND TỈNH THỪA THIÊN HUẾ\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n",
         ["UBND TỈNH THỪA THIÊN HUẾ", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"]),
        # corpus: vn-legal-2025/3eb6b0065020aac4.md, both names on one line, bold marks inside a word
        ("BỘ TÀI CHÍNH C**ỤC THUẾ**\n**-------**\n|\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n",
         ["BỘ TÀI CHÍNH", "CỤC THUẾ"]),
        # corpus: vn-legal-2025/9aeb199f5e0aa225.md, one name wrapped over two lines
        ("**BỘ VĂN HÓA, THỂ THAO **\nVÀ DU LỊCH\n--------\n|\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n",
         ["BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH"]),
        # corpus: vn-legal-2025/c22591f10eec1dab.md, the number in the body's cell
        ("CHÍNH PHỦ__________ Số: 170/2025/NĐ-CP | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc\n",
         ["CHÍNH PHỦ"]),
    ],
)  # fmt: skip
def test_header_bodies(block, names):
    assert header_bodies(block) == names


@pytest.mark.parametrize(
    "block, signer, body",
    [
        # dev: 0a97eb9c3c536047.md, "KT." and the title on one line
        ("**TM. ỦY BAN NHÂN DÂN**\nKT. CHỦ TỊCH PHÓ CHỦ TỊCH\nBùi Thanh An\n|", "Bùi Thanh An", "ỦY BAN NHÂN DÂN"),
        # dev: 405a6cabda393030.md
        ("**KT. BỘ TRƯỞNG, CHỦ NHIỆM**\nPHÓ CHỦ NHIỆM\nĐỗ Ngọc Huỳnh\n", "Đỗ Ngọc Huỳnh", None),
        # dev: e8b69e31579c0186.md
        ("**TM. CHÍNH PHỦ**\n**KT. THỦ TƯỚNG**\n**PHÓ THỦ TƯỚNG**\n**Phạm Thị Thanh Trà**\n|", "Phạm Thị Thanh Trà",
         "CHÍNH PHỦ"),
        # dev: c81379258ef3a44f.md
        ("**KT. BỘ TRƯỞNG**\nTHỨ TRƯỞNG\n**Nguyễn Mạnh Khương**\n", "Nguyễn Mạnh Khương", None),
        # corpus: vn-legal-2025/4eb6d4a67b3ff8d9.md, "(Đã ký)" before the name, the table's cell border after it
        ("|\nTHỨ TRƯỞNG THƯỜNG TRỰC\n(Đã ký)\nPhạm Ngọc Thưởng |\n", "Phạm Ngọc Thưởng", None),
        # corpus: vn-legal-2025/3eb6b0065020aac4.md, "TL." over "KT.", bold marks inside words
        ("**TL. CỤC TRƯỞNG**\nKT. TRƯỞNG BAN CH**ÍNH SÁCH,**\nTHUẾ QUỐC TẾ PH**Ó TRƯỞNG BAN**\nPhạm Thị Minh Hiền\n",
         "Phạm Thị Minh Hiền", None),
        # seed: 003_8437af1b69e885c0.txt, a draft: no name under the title
        ("CHỦ TỊCH\nPHỤ LỤC NHIỆM VỤ CỤ THỂ THỰC HIỆN KẾ HOẠCH\n(Kèm theo Kế hoạch số /KH-UBND ngày .../2024)\n", None,
         None),
    ],
)  # fmt: skip
def test_signature_layouts(block, signer, body):
    assert signature(block, 0, len(block)) == (body, signer)


def test_signature_lines_repeated_take_linear_time():
    # seed: 004_c9efa82d7878b3ec.txt's "TM. ỦY BAN NHÂN DÂN", with no name under it
    block = "TM. ỦY BAN NHÂN DÂN\n" * 20_000
    assert signature(block, 0, len(block)) == (None, None)


@pytest.mark.parametrize(
    "caps, source, name",
    [
        # dev: 001c610b2efdcf0c.md writes "Thành phố" with a capital
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
         "Căn cứ Quyết định số 01/2025/QĐ-UBND của Ủy ban nhân dân Thành phố Hồ Chí Minh",
         "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
        # dev: 6a406c1f9dfed9c3.md, the old tone mark of the header
        ("UỶ BAN NHÂN DÂN TỈNH LAI CHÂU", "", "Ủy ban nhân dân tỉnh Lai Châu"),
        ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "", "Bộ Văn hóa, Thể thao và Du lịch"),
        ("BỘ CHÍNH TRỊ", "", "Bộ Chính trị"),
        ("BỘ TRƯỞNG BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "", "Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch"),
    ],
)  # fmt: skip
def test_body_names(caps, source, name):
    assert body_name(caps, source) == name


def test_title_case_follows_the_texts_own_sentences():
    # dev: 5d99697f14bcf68a.md: the closing sentence writes "Chương trình mục tiêu quốc gia"
    title = (
        "GIÁM SÁT, ĐÁNH GIÁ CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO BỀN VỮNG TRÊN ĐỊA BÀN THÀNH PHỐ CẦN THƠ NĂM 2025"
    )
    source = (
        "Ủy ban nhân dân thành phố Cần Thơ ban hành Kế hoạch giám sát, đánh giá Chương trình mục tiêu quốc gia "
        "giảm nghèo bền vững trên địa bàn thành phố năm 2025."
    )
    assert sentence_case(title, source) == (
        "Giám sát, đánh giá Chương trình mục tiêu quốc gia giảm nghèo bền vững trên địa bàn thành phố Cần Thơ năm 2025"
    )
    # dev: c5d930a5fc8373cd.md: a designator in capitals is written as designators are
    title = "THỰC HIỆN QUYẾT ĐỊNH SỐ 1899/QĐ-TTG NGÀY 04/9/2025 CỦA THỦ TƯỚNG CHÍNH PHỦ"
    assert sentence_case(title, "") == "Thực hiện quyết định số 1899/QĐ-TTg ngày 04/9/2025 của Thủ tướng Chính phủ"


# dev: 1852f73167ca9236.md: the title names 2023 (a cited resolution), its own date 2025
HA_NOI = """**HỘI ĐỒNG NHÂN DÂN **
THÀNH PHỐ HÀ NỘI
-------
|
**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
|
Số:
66/2025/NQ-HĐND
|
*Hà Nội, ngày 27 tháng 11 năm 2025 *
|
**NGHỊ QUYẾT**
VỀ VIỆC SỬA ĐỔI, BỔ SUNG QUY ĐỊNH VỀ PHÍ THAM QUAN TẠI NGHỊ QUYẾT SỐ 16/2023/NQ-HĐND NGÀY 06 THÁNG 12 NĂM 2023 CỦA HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI
*Căn cứ Nghị quyết số 06/2020/NQ-HĐND ngày 07 tháng 7 năm 2020 của Hội đồng nhân dân thành phố Hà Nội, được sửa đổi, bổ sung bởi Nghị quyết số 16/2023/NQ-HĐND ngày 06 tháng 12 năm 2023;*
|
**CHỦ TỊCH**
Phùng Thị Hồng Hà
|
**PHỤ LỤC**
*(Ban hành kèm Nghị quyết số 66/2025/NQ-HĐND ngày 27 tháng 11 năm 2025 của Hội đồng nhân dân Thành phố)*
"""  # noqa: E501


def test_year_of_the_own_date_and_issuer_as_the_text_writes_it():
    info = _describe(HA_NOI)
    assert (info["key"], info["year"], info["province"], info["issuer"], info["signer"]) == (
        "66/2025/NQ-HĐND",
        2025,
        "Hà Nội",
        "Hội đồng nhân dân thành phố Hà Nội",
        "Phùng Thị Hồng Hà",
    )


# dev: 8718801c503045f9.md: the appendix header of the plan itself, here with a mistyped number
def test_appendix_header_is_an_own_key_whatever_number_it_writes():
    text = (
        "**ỦY BAN NHÂN DÂN**\nTỈNH ĐỒNG THÁP\n|\nSố: 617/KH-UBND\n|\n*Đồng Tháp, ngày 01 tháng 12 năm 2025*\n"
        "**KẾ HOẠCH**\nCHUYỂN ĐỔI SỐ CHO CÁC DOANH NGHIỆP\nThực hiện Kế hoạch số 283/KH-UBND ngày 24/9/2025;\n"
        "**PHỤ LỤC**\n*(Kèm theo Kế hoạch số 671/KH-UBND ngày 01/12/2025 của UBND Tỉnh)*\n"
    )
    assert _describe(text)["own_keys"] == ["617/KH-UBND", "671/KH-UBND"]


# seed: 003_8437af1b69e885c0.txt: the draft plan's number and date left blank
def test_draft_with_blank_date_takes_its_titles_year():
    text = (
        "Số: /KH-UBND\nThừa Thiên Huế, ngày tháng năm 2023\nKẾ HOẠCH\n"
        "Thông tin đối ngoại trên địa bàn tỉnh Thừa Thiên Huế năm 2024\nCăn cứ Công văn số 3089/BTTTT-TTĐN;\n"
    )
    info = _describe(text)
    assert (info["status"], info["year"], info["province"], info["key"]) == ("draft", 2024, "Thừa Thiên Huế", None)


def test_provinces_as_named_on_the_documents_date():
    # corpus: vn-legal-2025/0beedb7bdb363a85.md "ỦY BAN NHÂN DÂN / THÀNH PHỐ HUẾ", 21/11/2025
    assert province_on("Thừa Thiên Huế", date(2025, 11, 21)) == "Huế"
    assert province_on("Thừa Thiên Huế", date(2024, 12, 31)) == "Thừa Thiên Huế"
    assert province_on("Quảng Bình", date(2025, 7, 1)) == "Quảng Trị"
    assert province_on("Quảng Bình", date(2025, 6, 30)) == "Quảng Bình"


# dev: 1095764e502a89b8.md: the sending line ends the title; a central body has no province
def test_official_dispatch_title_ends_at_the_sending_line():
    text = (
        "**THỦ TƯỚNG CHÍNH PHỦ**\n-------\n|\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n|\nSố: 224/CĐ-TTg\n|\n"
        "*Hà Nội, ngày 20 tháng 11 năm 2025 *\n|\n**CÔNG ĐIỆN**\n"
        "VỀ VIỆC KHẨN TRƯƠNG CHUẨN BỊ TỔ CHỨC LỄ KHÁNH THÀNH, KHỞI CÔNG CÁC DỰ ÁN\n"
        "**THỦ TƯỚNG CHÍNH PHỦ điện:**\n- Bí Thư, Chủ tịch Ủy ban nhân dân các tỉnh Nghệ An;\n"
    )
    info = _describe(text)
    assert (info["title"], info["issuer"], info["province"], info["key"]) == (
        "Về việc khẩn trương chuẩn bị tổ chức lễ khánh thành, khởi công các dự án",
        "Thủ tướng Chính phủ",
        None,
        "224/CĐ-TTg",
    )


def test_spaces_inside_a_heading_take_linear_time():
    """A heading padded with spaces (justified text read from a PDF) once made
    the heading-with-number pattern backtrack cubically over the run."""
    import time

    def cost(n: int) -> float:
        # seed: 004_c9efa82d7878b3ec.txt's heading and signature line
        text = "KẾ HOẠCH" + " " * n + "x\n\n" + "TM. ỦY BAN NHÂN DÂN\n" * (n // 20)
        t = time.process_time()
        describe(text, [])
        return time.process_time() - t

    small, big = cost(10_000), cost(40_000)
    assert big <= 10 * small + 0.05


def test_a_central_body_s_document_belongs_to_no_province():
    # vn-legal-2025/d469759e6fcdc805.md: a Standing Committee resolution whose title names tỉnh Bắc Ninh
    from cancu.extractors.pipeline import extract_text

    text = (
        "-------------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc-------------- |\n"
        "Số: 1658/NQ-UBTVQH15 |\n\n**NGHỊ QUYẾT**\n\n"
        "**V****ề việc s****ắp xếp các đơn vị hành chính cấp xã của tỉnh Bắc Ninh năm 2025**\n\n--------------\n\n"
        "**ỦY BAN THƯỜNG VỤ QUỐC HỘI**\n\n"
        "*Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15**;*\n"
    )
    info = extract_text(text).self
    assert (info.doc_type, info.key, info.province) == ("Nghị quyết", "1658/NQ-UBTVQH15", None)


# -- the title's case, read from the text --------------------------------------------


def test_a_lower_cased_search_finds_what_the_engines_case_insensitive_search_finds():
    """The fast line filter of sentence_case (_line_filter, lowered)
    searches the lower-cased line for the title's words: for every letter
    of a title _plain_case lets through (those of the Vietnamese alphabet,
    both cases, here) and every character a text may hold but those of
    vocabulary.FOLDED_APART, the engine's re.IGNORECASE match and equality once
    lower-cased agree, and lower-casing keeps every character one."""
    import re

    from cancu.extractors import selfinfo, vocabulary

    chars = [chr(i) for i in range(0x10000) if not 0xD800 <= i < 0xE000]
    assert [c for c in chars if len(c.lower()) != 1] == ["İ"]
    text = "".join(c for c in chars if c not in vocabulary.FOLDED_APART)
    lower: dict[str, set[str]] = {}
    for c in text:
        lower.setdefault(c.lower(), set()).add(c)
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyfjwzàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    for p in letters + letters.upper():
        assert selfinfo._plain_case("", [p])
        assert set(re.findall(re.escape(p), text, re.IGNORECASE)) == lower[p.lower()], p
    assert not selfinfo._plain_case("Công tác ıt", ["CÔNG", "TÁC"])
    assert not selfinfo._plain_case("công tác", ["ΣΧΟΛΗ"])


def test_the_title_case_of_a_long_caps_title_is_the_same_by_either_filter():
    # data/plans/phu-tho-2025-ttdn.txt: its title in capitals, its sentences
    from cancu.extractors import selfinfo

    text = (PLANS / "phu-tho-2025-ttdn.txt").read_text(encoding="utf-8")
    cores = "CÔNG TÁC THÔNG TIN ĐỐI NGOẠI TRÊN ĐỊA BÀN TỈNH PHÚ THỌ NĂM 2025".split()
    fast, slow = selfinfo._line_filter(cores, True), selfinfo._line_filter(cores, False)
    lines = text.split("\n")
    assert [bool(fast(l)) for l in lines] == [bool(slow(l)) for l in lines]
    assert sum(bool(fast(l)) for l in lines) == 42
