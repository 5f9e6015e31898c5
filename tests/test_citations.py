"""Citation extraction on sentences of the bundled plans, messy cases included.

Every fixture is a sentence (or a few lines) copied from data/plans; the
assertions check exact values.
"""

from __future__ import annotations

import unicodedata

import pytest

from cancu.extractors.pipeline import extract_file, extract_text

from .conftest import plan_text

# Thực hiện Kết luận ... (Yên Bái 2024, preamble)
YEN_BAI_PREAMBLE = (
    "Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị về tiếp tục nâng cao chất lượng, "
    "hiệu quả công tác thông tin đối ngoại; Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ về "
    "quản lý hoạt động thông tin đối ngoại;\n\nCăn cứ hướng dẫn của Bộ Thông tin và Truyền thông tại "
    "Công văn số 3089/BTTTT-TTĐN ngày 31/7/2024 về việc hướng dẫn xây dựng Kế hoạch công tác thông tin "
    "đối ngoại năm 2024,\n\nI. MỤC ĐÍCH, YÊU CẦU\n"
)
# Huế 2024 draft, lines 80-82: the designator broken across a blank line
HUE_BROKEN = (
    "b) Bám sát, quán triệt sâu sắc các chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà "
    "nước về thông tin đối ngoại, nhất là Kết luận số 57-\n\nKL/TW ngày 15 tháng 6 năm 2023 của Bộ Chính "
    "trị về tiếp tục nâng cao chất lượng, hiệu quả công tác thông tin đối ngoại trong tình hình mới; "
)
# Huế 2024 draft, line 104: a markdown link around the designator
HUE_MARKDOWN = (
    "Bám sát hướng dẫn tại Thông tư số [03/2023/TT-BTTTT](#) ngày 30 tháng 5 năm 2023 của Bộ trưởng "
    "Bộ Thông tin và Truyền thông hướng dẫn thực hiện một số nội dung về thông tin và truyền thông"
)
# Phú Thọ 2025, II.1: no "số", and links inside a citation
PHU_THO_CHAIN = (
    "- Tiếp tục triển khai thực hiện Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ về quản lý "
    "hoạt động thông tin đối ngoại; Kế hoạch số 3017/KH-UBND ngày 26/7/2024 của UBND tỉnh về việc thực "
    "hiện Nghị quyết số 47/NQ-CP ngày 15/4/2024 của Chính phủ về Chương trình hành động của Chính phủ đến "
    "năm 2030 thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị về tiếp tục nâng cao chất "
    "lượng, hiệu quả công tác thông tin đối ngoại trong tình hình mới trên địa bàn tỉnh Phú Thọ; Kế hoạch "
    "3404/KH-UBND ngày 05/8/2021 của UBND tỉnh về tuyên truyền về biển, đảo Việt Nam giai đoạn 2021 - 2025"
)
# Lào Cai 2022, II.2.1.b: "ngày 9/02/2017"
LAO_CAI_DATE = (
    "UBND các huyện, thị xã, thành phố, UBND cấp xã tổ chức cung cấp thông tin định kỳ cho báo chí theo "
    "khoản 3, khoản 4 Điều 5, Điều 6 Nghị định số 09/2017/NĐ-CP ngày 9/02/2017 của Chính phủ Quy định "
    "chi tiết việc phát ngôn"
)


def keys(rec):
    return [c.key for c in rec.citations]


def check_spans(source, rec):
    for c in rec.citations:
        assert source[c.start : c.end] == c.text
        assert source[c.context_start : c.context_end] == c.context
        if c.date_start is not None:
            assert source[c.date_start : c.date_end] == c.date_text


def test_preamble_citations_with_dates_issuers_relations():
    rec = extract_text(YEN_BAI_PREAMBLE)
    got = [(c.key, c.doc_type, c.date, c.issuer, c.relations, c.section) for c in rec.citations]
    assert got == [
        ("57-KL/TW", "Kết luận", "2023-06-15", "Bộ Chính trị", ("based_on", "implements"), "preamble"),
        ("72/2015/NĐ-CP", "Nghị định", "2015-09-07", "Chính phủ", ("based_on", "implements"), "preamble"),
        ("3089/BTTTT-TTĐN", "Công văn", "2024-07-31", "Bộ Thông tin và Truyền thông", ("based_on",), "preamble"),
    ]
    c = rec.citations[0]
    assert (c.number, c.symbol, c.year, c.kind) == ("57", "KL/TW", 2023, "party")
    assert c.subject == "tiếp tục nâng cao chất lượng, hiệu quả công tác thông tin đối ngoại"
    assert c.text == "Kết luận số 57-KL/TW"
    assert (rec.citations[1].number, rec.citations[1].symbol, rec.citations[1].year) == ("72", "NĐ-CP", 2015)
    check_spans(YEN_BAI_PREAMBLE, rec)


def test_citation_broken_across_lines():
    rec = extract_text(HUE_BROKEN)
    (c,) = rec.citations
    assert c.key == "57-KL/TW"
    assert c.text == "Kết luận số 57-\n\nKL/TW"
    assert c.date == "2023-06-15" and c.date_text == "ngày 15 tháng 6 năm 2023"
    assert c.issuer == "Bộ Chính trị"
    check_spans(HUE_BROKEN, rec)


def test_markdown_link_around_designator():
    rec = extract_text(HUE_MARKDOWN)
    (c,) = rec.citations
    assert (c.key, c.date, c.doc_type, c.relation) == ("03/2023/TT-BTTTT", "2023-05-30", "Thông tư", "implements")
    assert c.text == "Thông tư số [03/2023/TT-BTTTT"
    assert c.issuer == "Bộ trưởng Bộ Thông tin và Truyền thông"


def test_no_so_and_links_inside_a_citation():
    rec = extract_text(PHU_THO_CHAIN)
    got = [(c.key, c.doc_type, c.date, c.relation) for c in rec.citations]
    assert got == [
        ("72/2015/NĐ-CP", "Nghị định", "2015-09-07", "implements"),
        ("3017/KH-UBND", "Kế hoạch", "2024-07-26", "implements"),
        ("47/NQ-CP", "Nghị quyết", "2024-04-15", "mentions"),
        ("57-KL/TW", "Kết luận", "2023-06-15", "mentions"),
        ("3404/KH-UBND", "Kế hoạch", "2021-08-05", "implements"),
    ]
    assert rec.citations[4].text == "Kế hoạch 3404/KH-UBND"
    assert [(l.from_, l.to, l.relation, l.source_year, l.target_year) for l in rec.links] == [
        ("3017/KH-UBND", "47/NQ-CP", "implements", 2024, 2024),
        ("47/NQ-CP", "57-KL/TW", "implements", 2024, 2023),
    ]
    link = rec.links[0]
    assert PHU_THO_CHAIN[link.start : link.end].startswith("Kế hoạch số 3017/KH-UBND")
    assert PHU_THO_CHAIN[link.start : link.end].endswith("Nghị quyết số 47/NQ-CP")


@pytest.mark.parametrize(
    "sentence, date",
    [
        ("Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị", "2023-06-15"),
        (LAO_CAI_DATE, "2017-02-09"),
        ("Công văn số 9112/UBND-GD ngày 29/08/2023 về tham mưu xây dựng Kế hoạch", "2023-08-29"),
        ("Căn cứ Công văn số 3089/BTTTT-TTĐN ngày 31 tháng 7 năm 2023 của Bộ Thông tin và Truyền thông", "2023-07-31"),
    ],
)
def test_date_formats(sentence, date):
    (c,) = extract_text(sentence).citations
    assert c.date == date


def test_lao_cai_two_documents_numbered_09_2017_stay_apart():
    rec = extract_text(plan_text("lao-cai-2022-ttdn.txt"))
    found = {(c.key, c.doc_type, c.date) for c in rec.citations if c.number == "09"}
    assert found == {("09/2017/QĐ-UBND", "Quyết định", "2017-03-03"), ("09/2017/NĐ-CP", "Nghị định", "2017-02-09")}


def test_nfd_input_keeps_exact_spans():
    nfd = unicodedata.normalize("NFD", YEN_BAI_PREAMBLE)
    assert nfd != YEN_BAI_PREAMBLE
    rec = extract_text(nfd)
    assert keys(rec) == ["57-KL/TW", "72/2015/NĐ-CP", "3089/BTTTT-TTĐN"]
    assert rec.citations[0].date == "2023-06-15"
    assert unicodedata.normalize("NFC", rec.citations[1].text) == "Nghị định số 72/2015/NĐ-CP"
    check_spans(nfd, rec)


def test_lookalike_d_en_dash_and_nbsp():
    text = "Căn cứ Nghị định số\u00a072/2015/N\u00d0\u2013CP ngày 07/9/2015 của Chính phủ về quản lý hoạt động thông tin đối ngoại;"
    (c,) = extract_text(text).citations
    assert c.key == "72/2015/NĐ-CP"
    assert c.text == "Nghị định số\u00a072/2015/N\u00d0\u2013CP"
    assert c.date == "2015-09-07"


def test_cover_letter_own_number_is_not_a_citation():
    rec = extract_text(plan_text("thua-thien-hue-2024-ttdn-du-thao.txt"))
    assert "3155/STTTT-TTBCXB" not in keys(rec)
    assert rec.self.contains[0].key == "3155/STTTT-TTBCXB"
    assert rec.self.status == "draft"


def test_short_mention_inherits_date_and_issuer():
    rec = extract_text(plan_text("yen-bai-2024-ttdn.txt"))
    short = [c for c in rec.citations if c.key == "1191/QĐ-TTg" and c.mention == "short"]
    assert len(short) == 1
    c = short[0]
    assert c.context.startswith("Quyết định số 1191/QĐ-TTg bao gồm 02 nội dung")
    assert (c.date, c.issuer, c.inherited, c.date_start) == (
        "2020-08-05",
        "Thủ tướng Chính phủ",
        ("date", "issuer"),
        None,
    )


@pytest.mark.parametrize(
    "sentence, key, relation",
    [
        (
            "- Nội dung: Tiếp tục triển khai thực hiện các văn bản quy phạm pháp luật, chiến lược, kế hoạch và chỉ đạo của "
            "Trung ương về TTĐN. Sửa đổi, bổ sung Quyết định số 31/2020/QĐ-UBND ngày 30/11/2020 của UBND tỉnh ban hành quy "
            "chế phối hợp quản lý",
            "31/2020/QĐ-UBND",
            "amends",
        ),
        (
            "- Tuyên truyền những nội dung liên quan đến biển, đảo được nêu trong Nghị quyết Đại hội đại biểu toàn quốc lần "
            "thứ XIII của Đảng và 5 năm thực hiện Nghị quyết số 36-NQ/TW, ngày 22/10/2018 của Ban Chấp hành Trung ương Đảng "
            "(khóa XII) về “Chiến lược phát triển bền vững",
            "36-NQ/TW",
            "mentions",
        ),
        (
            "- Quán triệt, tuyên truyền triển khai thực hiện Nghị quyết số 34-NQ/TW ngày 09/01/2023 của Bộ Chính trị về một số "
            "định hướng",
            "34-NQ/TW",
            "implements",
        ),
        (
            "Hạng mục đầu tư đảm bảo quy định tại Quyết định 273/QĐ-TTg ngày 06/3/2018 phê duyệt quy hoạch phát triển",
            "273/QĐ-TTg",
            "implements",
        ),
    ],
)
def test_relation_by_cue_words(sentence, key, relation):
    (c,) = extract_text(sentence).citations
    assert (c.key, c.relation) == (key, relation)


def test_issuer_keeps_term_qualifier():
    text = (
        "5 năm thực hiện Nghị quyết số 36-NQ/TW, ngày 22/10/2018 của Ban Chấp hành Trung ương Đảng (khóa XII) "
        "về “Chiến lược phát triển bền vững kinh tế biển"
    )
    (c,) = extract_text(text).citations
    assert c.issuer == "Ban Chấp hành Trung ương Đảng (khóa XII)"


def test_named_documents():
    rec = extract_text(plan_text("lao-cai-2022-ttdn.txt"))
    assert "Luật bảo vệ bí mật nhà nước" in [n.name for n in rec.named]
    rec = extract_text(plan_text("phu-tho-2025-ttdn.txt"))
    assert "Công ước Liên hợp quốc về Luật Biển năm 1982" in [n.name for n in rec.named]


def test_self_description_of_each_plan(plans_records):
    got = {
        name: (r.self.doc_type, r.self.province, r.self.year, r.self.status, r.self.signer)
        for name, r in plans_records.items()
    }
    assert got == {
        "yen-bai-2024-ttdn.txt": ("Kế hoạch", "Yên Bái", 2024, "issued", "Ngô Hạnh Phúc"),
        "phu-tho-2025-ttdn.txt": ("Kế hoạch", "Phú Thọ", 2025, "issued", "Nguyễn Huy Ngọc"),
        "cao-bang-2023-ttdn.txt": ("Kế hoạch", "Cao Bằng", 2023, "issued", "Lê Hải Hòa"),
        "thua-thien-hue-2024-ttdn-du-thao.txt": ("Kế hoạch", "Thừa Thiên Huế", 2024, "draft", None),
        "lao-cai-2022-ttdn.txt": ("Kế hoạch", "Lào Cai", 2022, "issued", "Giàng Thị Dung"),
    }
    assert plans_records["phu-tho-2025-ttdn.txt"].self.title == (
        "Công tác thông tin đối ngoại trên địa bàn tỉnh Phú Thọ năm 2025"
    )


def test_every_span_of_every_plan_matches_its_source(plans_records):
    for name, rec in plans_records.items():
        check_spans(plan_text(name), rec)
        for a in rec.agencies:
            assert plan_text(name)[a.start : a.end] == a.text


@pytest.mark.parametrize("encoding, bom", [("utf-8-sig", b""), ("utf-16", b""), ("utf-16-le", b"")])
def test_bom_and_utf16_files(tmp_path, encoding, bom):
    source = plan_text("cao-bang-2023-ttdn.txt")
    path = tmp_path / "cao-bang.txt"
    path.write_bytes(bom + source.encode(encoding))
    rec = extract_file(str(path))
    plain = extract_text(source)
    assert keys(rec) == keys(plain) == ["72/2015/NĐ-CP", "22/2016/TT-BTTTT", "5740/BTTTT-TTĐN", "31/2020/QĐ-UBND"]
    assert [c.start for c in rec.citations] == [c.start for c in plain.citations]
    assert rec.encoding == {"utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "utf-16-le": "utf-16-le"}[encoding]


def test_crlf_line_endings_read_as_python_reads_them(tmp_path):
    source = plan_text("phu-tho-2025-ttdn.txt")
    path = tmp_path / "phu-tho.txt"
    path.write_bytes(source.replace("\n", "\r\n").encode("utf-8"))
    rec = extract_file(str(path))
    text = path.read_text(encoding="utf-8")
    assert keys(rec) == keys(extract_text(source))
    check_spans(text, rec)


def test_output_is_deterministic():
    a = extract_text(plan_text("thua-thien-hue-2024-ttdn-du-thao.txt")).to_dict()
    b = extract_text(plan_text("thua-thien-hue-2024-ttdn-du-thao.txt")).to_dict()
    assert a == b
    assert [c["start"] for c in a["citations"]] == sorted(c["start"] for c in a["citations"])


# Kế hoạch 552/KH-UBND of Đồng Tháp (19/11/2025, from the real corpus), as
# crawled: hard-wrapped every ~80 characters, inside designators and names.
DONG_THAP_WRAPPED = (
    "Căn cứ Nghị quyết số\n57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công\n"
    "nghệ, đổi mới sáng tạo và chuyển đổi số; Nghị quyết số 71/NQ-CP ngày 01/4/2025\n"
    "của Chính phủ và Chương trình hành động số 10- CTr/TU ngày 13/8/2025 của Ban\n"
    "Thường vụ Tỉnh ủy về thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ\n"
    "Chính trị về đột phá phát triển khoa học; Kế hoạch số 283/KH-UBND\n"
    "ngày 24/9/2025 của Ủy ban nhân dân Tỉnh về thực hiện Nghị quyết số 71/NQ-CP\n"
    "ngày 01/4/2025 của Chính phủ và Chương trình hành động số 10-CTr/TU ngày\n"
    "13/8/2025 của Ban Thường vụ Tỉnh ủy về thực hiện Nghị quyết số 57-NQ/TW ngày\n"
    "22/12/2024 của Bộ Chính trị;\n\n"
    "**I. MỤC ĐÍCH, YÊU CẦU**\n\n"
    "**2. Sở\nNông nghiệp và Môi trường**\n\n"
    "- Chủ trì, phối hợp triển\nkhai các chương trình đổi mới công nghệ trong sản xuất nông nghiệp.\n"
)


def test_hard_wrapped_text_reads_as_whole_sentences():
    rec = extract_text(DONG_THAP_WRAPPED)
    got = [(c.key, c.date, c.issuer) for c in rec.citations]
    assert got == [
        ("57-NQ/TW", "2024-12-22", "Bộ Chính trị"),
        ("71/NQ-CP", "2025-04-01", "Chính phủ"),
        ("10-CTr/TU", "2025-08-13", "Ban Thường vụ Tỉnh ủy"),
        ("57-NQ/TW", "2024-12-22", "Bộ Chính trị"),
        ("283/KH-UBND", "2025-09-24", "Ủy ban nhân dân Tỉnh"),
        ("71/NQ-CP", "2025-04-01", "Chính phủ"),
        ("10-CTr/TU", "2025-08-13", "Ban Thường vụ Tỉnh ủy"),
        ("57-NQ/TW", "2024-12-22", "Bộ Chính trị"),
    ]
    # the objects of "Căn cứ" are the legal basis; what their descriptions
    # name ("... về thực hiện Nghị quyết số 57-NQ/TW") is only mentioned
    assert [c.relations for c in rec.citations] == [("based_on",)] * 3 + [("mentions",)] + [("based_on",)] + [
        ("mentions",)
    ] * 3
    # both items of the list inside 283/KH-UBND's description are linked from it
    assert [(l.from_, l.to, l.relation) for l in rec.links] == [
        ("10-CTr/TU", "57-NQ/TW", "implements"),
        ("283/KH-UBND", "71/NQ-CP", "implements"),
        ("283/KH-UBND", "10-CTr/TU", "implements"),
        ("10-CTr/TU", "57-NQ/TW", "implements"),
    ]
    assert [(a.name, a.role, a.task) for a in rec.agencies] == [("Sở Nông nghiệp và Môi trường", "lead", "I.2")]
    check_spans(DONG_THAP_WRAPPED, rec)


def test_own_number_and_articles_of_a_decision():
    # Quyết định 5042/QĐ-BNNMT (26/11/2025, real corpus): its appendix heading
    # names the decision itself, which is not a citation of it.
    text = (
        "Số: 5042/QĐ-BNNMT\n\n**QUYẾT ĐỊNH**\n\nVỀ VIỆC CÔNG BỐ THỦ TỤC HÀNH CHÍNH NỘI BỘ\n\n"
        "*Căn cứ Nghị định số 35/2025/NĐ-CP ngày 25/02/2025 của Chính phủ quy định chức năng;*\n\n"
        "**QUYẾT ĐỊNH:**\n\n**Điều 2.**** **Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành.\n\n"
        "Bãi bỏ Quyết định số 1667/QĐ-BNNMT ngày 26/5/2025 của Bộ Nông nghiệp và Môi trường về việc công bố.\n\n"
        "*(Kèm theo Quyết định số 5042/QĐ-BNNMT ngày 26/11/2025 của Bộ trưởng Bộ Nông nghiệp và Môi trường)*\n"
    )
    rec = extract_text(text)
    assert rec.self.key == "5042/QĐ-BNNMT" and rec.self.doc_type == "Quyết định"
    assert [(c.key, c.relation, c.section) for c in rec.citations] == [
        ("35/2025/NĐ-CP", "based_on", "preamble"),
        ("1667/QĐ-BNNMT", "repeals", "Điều 2"),
    ]


def test_designator_in_a_title_in_capitals_gets_its_official_case():
    text = "**KẾ HOẠCH**\n\nTRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 32/CT-TTG NGÀY 21/10/2025 CỦA THỦ TƯỚNG CHÍNH PHỦ\n"
    (c,) = extract_text(text).citations
    assert (c.key, c.text) == ("32/CT-TTg", "CHỈ THỊ SỐ 32/CT-TTG")


def test_citation_in_a_title_in_capitals_keeps_its_date_and_issuer():
    # Kế hoạch 1026/KH-UBND of Nghệ An (26/11/2025, real corpus): its title
    text = (
        "**KẾ HOẠCH**\n\nTRIỂN KHAI THỰC HIỆN\nCHỈ THỊ SỐ 32/CT-TTG NGÀY 21/10/2025 CỦA THỦ TƯỚNG CHÍNH PHỦ "
        "“VỀ TĂNG CƯỜNG\nCÔNG TÁC BẢO VỆ BÍ MẬT NHÀ NƯỚC TRONG TÌNH HÌNH MỚI” TRÊN ĐỊA BÀN TỈNH NGHỆ AN\n"
    )
    (c,) = extract_text(text).citations
    assert (c.key, c.doc_type, c.date, c.issuer) == ("32/CT-TTg", "Chỉ thị", "2025-10-21", "THỦ TƯỚNG CHÍNH PHỦ")


def test_a_subject_runs_over_a_wrapped_line_to_the_clause_end_and_stops_at_a_paragraph():
    """The subject (trích yếu) after a designator: a run of characters up to
    ";" or a paragraph break (a blank line, a list item), across a line
    that is only wrapped. The sentence is the Huế plan's
    (data/plans/thua-thien-hue-2024-ttdn-du-thao.txt, line 108), wrapped."""
    from cancu.extractors import regexes as rx

    head = "Quyết định 273/QĐ-TTg ngày 06/3/2018"
    first = "phê duyệt quy hoạch phát triển hệ thống thông tin đối ngoại khu vực cửa khẩu quốc tế,"
    rest = "phục vụ nhiệm vụ thông tin đối ngoại đến năm 2020, định hướng 2030"
    after = "; Quyết định số 1191/QĐ-TTg ngày 05/8/2020"

    def subject(text: str) -> str:
        m = rx.SUBJECT_AFTER.match(text, len(head))
        return m.group("subject")

    assert subject(f"{head} {first}\n{rest}{after}") == first.removeprefix("phê duyệt ") + "\n" + rest
    assert subject(f"{head} {first}\n\n{rest}{after}") == first.removeprefix("phê duyệt ")
    assert subject(f"{head} {first}\n- {rest}{after}") == first.removeprefix("phê duyệt ")
    assert subject(f"{head} {first}\n2. {rest}{after}") == first.removeprefix("phê duyệt ")
