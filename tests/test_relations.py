"""The grammar of relations (extractors/data/relations.json, extractors/resolve.py)
on real sentences: every pattern matches its examples and not its
counter-examples, and each construction of the issue gives the exact
relations and links. Sources: ../shared/eval/dev/<file> (dev texts, crawled
from the corpus) and vn-legal-2025/<file> in ../shared/corpus."""

import pytest

from cancu.extractors.pipeline import extract_text
from cancu.extractors.resolve import CUE, cue_relations
from cancu.extractors.vocabulary import (
    cue_relation,
    ends_effect_regex,
    issued_with_regex,
    opening_regex,
    opening_relations,
    partial_object_regex,
    passive_regex,
    proposal_regex,
    relation_grammar,
)

G = relation_grammar()


# -- the data: each pattern with its examples ------------------------------------


@pytest.mark.parametrize("form", G["cues"]["forms"], ids=lambda f: f["relation"])
def test_every_cue_matches_its_examples(form):
    for ex in form["examples"]:
        got = [(m.group(), cue_relation(m)) for m in CUE.finditer(ex["text"])]
        assert (ex["match"], form["relation"]) in got, ex["text"]


@pytest.mark.parametrize("form", G["openings"]["forms"], ids=lambda f: "+".join(f["relations"]))
def test_every_opening_matches_its_examples(form):
    for ex in form["examples"]:
        m = opening_regex().match(ex["text"])
        assert m.group() == ex["match"]
        assert opening_relations()[int(m.lastgroup[1:])] == tuple(form["relations"])


@pytest.mark.parametrize(
    "name, regex",
    [
        ("passive", passive_regex()),
        ("proposals", proposal_regex()),
        ("partial_objects", partial_object_regex()),
        ("ends_effect", ends_effect_regex()),
        ("issued_with", issued_with_regex()),
    ],
)
def test_every_other_pattern_matches_its_examples(name, regex):
    for ex in G[name]["examples"]:
        assert regex.search(ex["text"]).group() == ex["match"]
    for text in G[name].get("not", ()):
        assert regex.search(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        # a title in capitals opens no paragraph of legal basis (dev/0a97eb9c3c536047.md)
        "TRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 32/CT-TTG NGÀY 21/10/2025",
        # a heading, not an opening (data/plans)
        "Mục đích, yêu cầu",
    ],
)
def test_what_is_no_opening(text):
    assert opening_regex().match(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # a court's enforcement (dev/68c706de4d068f13.md): "Tổng cục Thi hành án dân sự"
        "Thay thế cụm từ “Tổng cục Thi hành án dân sự” thành “Cục Quản lý Thi hành án dân sự”",
        # monitoring, and an appendix bound to a document
        "theo dõi, đôn đốc",
        "Phụ lục ban hành kèm theo",
    ],
)
def test_what_is_no_implementation_cue(text):
    assert [cue_relation(m) for m in CUE.finditer(text) if cue_relation(m) == "implements"] == []


def test_a_past_end_of_effect_is_no_repeal():
    assert ends_effect_regex().search("Nghị định số 13/2008/NĐ-CP đã hết hiệu lực") is None


# -- relations of the text to what it cites --------------------------------------


def rels(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(c.key, c.relations) for c in extract_text(text).citations]


def links(text: str) -> list[tuple[str, str, str]]:
    return [(l.from_, l.to, l.relation) for l in extract_text(text).links]


def test_coordinated_verbs_give_every_relation_they_name():
    # dev/68c706de4d068f13.md, Điều 1 of Thông tư 13/2025/TT-BTP
    t = "Bãi bỏ, sửa đổi, thay thế một số điều, phụ lục của Thông tư số 02/2023/TT-BTP"
    assert cue_relations(t, 0, t.index("Thông tư")) == ("amends", "repeals")


def test_replacing_a_whole_document_and_replacing_words():
    # vn-legal-2025/21c5e5f284e66d03.md
    t = "Nghị định này thay thế Nghị định số 02/2017/NĐ-CP ngày 09 tháng 01 năm 2017 của Chính phủ về cơ chế"
    assert cue_relations(t, 0, t.index("Nghị định số")) == ("replaces",)
    # dev/68c706de4d068f13.md
    t = "Thay thế cụm từ “xã, phường, thị trấn” thành “xã, phường, đặc khu” tại điểm 1 Thông tư số 06/2023/TT-BTP"
    assert cue_relations(t, 0, t.index("Thông tư số")) == ("amends",)


def test_an_act_proposed_or_awaited_is_a_mention():
    # dev/0a97eb9c3c536047.md III.1 and dev/c5d930a5fc8373cd.md appendix
    t = "tham mưu UBND tỉnh sửa đổi, bổ sung hoặc thay thế Quyết định số 15/2021/QĐ-UBND ngày 08/7/2021"
    assert cue_relations(t, 0, t.index("Quyết định")) == ("mentions",)
    t = "Triển khai thực hiện khi có Thông tư mới thay thế Thông tư số 92/2009/TT- BTC ngày 12/5/2009"
    assert cue_relations(t, 0, t.index("Thông tư số")) == ("mentions",)
    # data/plans (Yên Bái): the act is one of the listed tasks
    t = "- Nội dung: Rà soát, tham mưu, sửa đổi Quyết định số 33/2018/QĐ-UBND ngày 12/12/2018"
    assert cue_relations(t, 0, t.index("Quyết định")) == ("amends",)


def test_a_repeal_stated_in_the_article_on_effect():
    # dev/14893cd21e801bb3.md Điều 2
    t = (
        "**Điều 2.** Quyết định này có hiệu lực từ ngày ký và bãi bỏ Quyết định số 1029/QĐ-UBND ngày 25 tháng 6 "
        "năm 2024 của Chủ tịch Ủy ban nhân dân tỉnh về việc công bố Danh mục thủ tục hành chính mới.\n"
    )
    assert rels(t) == [("1029/QĐ-UBND", ("repeals",))]


def test_a_document_declared_ended_is_repealed():
    # vn-legal-2025/38b661919a75d3bc.md
    t = (
        "Thông tư 14/2024/TT-BTTTT có hiệu lực kể từ ngày 28 tháng 01 năm 2025. Thông tư số 03/2016/TT-BTTTT "
        "hết hiệu lực kể từ ngày ngày 28 tháng 01 năm 2025.\n"
    )
    assert rels(t)[1] == ("03/2016/TT-BTTTT", ("repeals",))


def test_openings_of_the_preamble():
    # dev/1852f73167ca9236.md, dev/001c610b2efdcf0c.md, dev/4f30202155d56bdd.md
    t = (
        "*Xét Tờ trình số 419/TTr-UBND ngày 21 tháng 11 năm 2025 của UBND Thành phố về việc xây dựng Nghị quyết; "
        "Báo cáo thẩm tra số 104/BC-BVHXH ngày 24 tháng 11 năm 2025 của Ban Văn hóa - Xã hội;*\n"
        "*Theo đề nghị của Sở Tài chính tại Công văn số 11033/STC-CSTH ngày 29 tháng 10 năm 2025.*\n"
        "Để tiếp tục thực hiện nghiêm Chỉ thị số 05/CT-TTg ngày 18/5/2022 của Thủ tướng Chính phủ về tăng cường "
        "công tác quản lý bảo vệ rừng; Chỉ thị số 31-CT/TU ngày 06/6/2023, Kế hoạch số 134-KH/TU ngày 29/12/2023 "
        "của Ban Thường vụ Tỉnh ủy;\n"
        "**I. MỤC ĐÍCH**\n"
    )
    assert rels(t) == [
        ("419/TTr-UBND", ("mentions",)),
        ("104/BC-BVHXH", ("mentions",)),
        ("11033/STC-CSTH", ("mentions",)),
        ("05/CT-TTg", ("based_on", "implements")),
        ("31-CT/TU", ("based_on", "implements")),
        ("134-KH/TU", ("based_on", "implements")),
    ]


def test_a_document_inside_a_preamble_description_is_mentioned_and_linked():
    # dev/8718801c503045f9.md
    t = (
        "Thực hiện Kế hoạch số 283/KH-UBND ngày 24/9/2025 của Uỷ ban nhân dân Tỉnh về thực hiện Nghị quyết số "
        "71/NQ-CP ngày 01/5/2025 của Chính phủ và Chương trình hành động số 10-CTr/TU ngày 13/8/2025 của Ban "
        "Thường vụ Tỉnh uỷ về thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá;\n"
        "**I. MỤC ĐÍCH**\n"
    )
    assert rels(t) == [
        ("283/KH-UBND", ("based_on", "implements")),
        ("71/NQ-CP", ("mentions",)),
        ("10-CTr/TU", ("mentions",)),
        ("57-NQ/TW", ("mentions",)),
    ]
    assert links(t) == [
        ("283/KH-UBND", "71/NQ-CP", "implements"),
        ("283/KH-UBND", "10-CTr/TU", "implements"),
        ("10-CTr/TU", "57-NQ/TW", "implements"),
    ]


def test_the_passive_voice_links_the_acting_document_to_the_one_acted_on():
    # dev/68c706de4d068f13.md and dev/1852f73167ca9236.md
    t = (
        "*Căn cứ Nghị định số 120/2020/NĐ-CP của Chính phủ quy định về thành lập, tổ chức lại, giải thể đơn vị sự "
        "nghiệp công lập được sửa đổi, bổ sung bởi Nghị định số 83/2024/NĐ-CP, Nghị định số 283/2025/NĐ-CP;*\n"
        "*Căn cứ Nghị định số 120/2016/NĐ-CP quy định chi tiết và hướng dẫn thi hành một số điều của Luật phí và lệ "
        "phí, được sửa đổi, bổ sung bởi Nghị định số 82/2023/NĐ-CP;*\n"
        "**QUYẾT ĐỊNH:**\n"
    )
    assert rels(t) == [
        ("120/2020/NĐ-CP", ("based_on",)),
        ("83/2024/NĐ-CP", ("mentions",)),
        ("283/2025/NĐ-CP", ("mentions",)),
        ("120/2016/NĐ-CP", ("based_on",)),
        ("82/2023/NĐ-CP", ("mentions",)),
    ]
    assert links(t) == [
        ("83/2024/NĐ-CP", "120/2020/NĐ-CP", "amends"),
        ("283/2025/NĐ-CP", "120/2020/NĐ-CP", "amends"),
        ("82/2023/NĐ-CP", "120/2016/NĐ-CP", "amends"),
    ]
    # the evidence runs from the document acted on, written first, to the acting one
    first = extract_text(t).links[0]
    assert t[first.start : first.end] == (
        "Nghị định số 120/2020/NĐ-CP của Chính phủ quy định về thành lập, tổ chức lại, giải thể đơn vị sự "
        "nghiệp công lập được sửa đổi, bổ sung bởi Nghị định số 83/2024/NĐ-CP"
    )
    assert first.context.startswith("*Căn cứ Nghị định số 120/2020/NĐ-CP") and first.context.endswith("283/2025/NĐ-CP")


def test_a_state_document_does_not_amend_a_party_one():
    # dev/001c610b2efdcf0c.md: 71/NQ-CP amends 03/NQ-CP, not the Party's 57-NQ/TW named between them
    t = (
        "*Căn cứ Nghị quyết số 03/NQ-CP ngày 09 tháng 01 năm 2025 của Chính phủ Ban hành chương trình hành động "
        "của Chính phủ thực hiện Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá phát "
        "triển khoa học, công nghệ được sửa đổi, bổ sung cập nhật một số điều tại Nghị quyết số 71/NQ-CP ngày 01 "
        "tháng 4 năm 2025 của Chính phủ;*\n**QUYẾT ĐỊNH:**\n"
    )
    assert links(t) == [("03/NQ-CP", "57-NQ/TW", "implements"), ("71/NQ-CP", "03/NQ-CP", "amends")]


def test_the_name_of_an_unnumbered_amending_law_is_no_link():
    # dev/001c610b2efdcf0c.md: the laws named inside "Luật sửa đổi, bổ sung một số điều của ..." are mentioned
    t = (
        "*Căn cứ Luật Đất đai số 31/2024/QH15 ngày 18 tháng 01 năm 2024, được sửa đổi, bổ sung một số điều tại "
        "Luật sửa đổi, bổ sung một số điều của Luật Đất đai số 31/2024/QH15, Luật Nhà ở số 27/2023/QH15 và Luật "
        "Các tổ chức tín dụng số 32/2024/QH15;*\n**QUYẾT ĐỊNH:**\n"
    )
    assert rels(t) == [
        ("31/2024/QH15", ("based_on",)),
        ("31/2024/QH15", ("mentions",)),
        ("27/2023/QH15", ("mentions",)),
        ("32/2024/QH15", ("mentions",)),
    ]
    assert links(t) == []


def test_a_list_under_one_type_word_after_a_colon():
    # dev/e8b69e31579c0186.md Điều 14
    t = (
        "1. Nghị định này thay thế các Nghị định sau: Nghị định số 123/2016/NĐ-CP ngày 01 tháng 9 năm 2016 của "
        "Chính phủ quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của bộ, cơ quan ngang bộ; Nghị định số "
        "101/2020/NĐ-CP ngày 28 tháng 8 năm 2020 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số "
        "123/2016/NĐ-CP ngày 01 tháng 9 năm 2016 của Chính phủ.\n"
    )
    assert rels(t) == [
        ("123/2016/NĐ-CP", ("replaces",)),
        ("101/2020/NĐ-CP", ("replaces",)),
        ("123/2016/NĐ-CP", ("mentions",)),
    ]
    assert links(t) == [("101/2020/NĐ-CP", "123/2016/NĐ-CP", "amends")]


def test_a_guide_is_linked_to_what_it_guides_and_the_list_goes_on():
    # dev/405a6cabda393030.md section 1
    t = (
        "- Khẩn trương thực hiện các chế độ, chính sách đối với người tham gia công tác xây dựng pháp luật theo quy "
        "định của Nghị quyết số 197/2025/QH15 ngày 17 tháng 5 năm 2025 của Quốc hội về một số cơ chế, chính sách "
        "đặc biệt tạo đột phá trong xây dựng và tổ chức thi hành pháp luật và Nghị định số 289/2025/NĐ-CP ngày 06 "
        "tháng 11 năm 2025 của Chính phủ hướng dẫn thi hành Nghị quyết số 197/2025/QH15; đồng thời\n"
    )
    assert rels(t) == [
        ("197/2025/QH15", ("implements",)),
        ("289/2025/NĐ-CP", ("implements",)),
        ("197/2025/QH15", ("mentions",)),
    ]
    assert links(t) == [("289/2025/NĐ-CP", "197/2025/QH15", "guides")]


def test_a_list_after_a_semicolon_keeps_the_cue_of_its_paragraph():
    # dev/4f30202155d56bdd.md section 1: the Luật have no number; the decrees after ";" go on the list
    t = (
        "- Thực hiện đầy đủ trách nhiệm quản lý nhà nước về lâm nghiệp của chính quyền địa phương cấp xã theo quy "
        "định tại Điều 102 Luật Lâm nghiệp, Luật Đất đai; Nghị định số 131/2025/NĐ-CP ngày 12/6/2025 và Nghị định "
        "số 136/2025/NĐ-CP ngày 12/6/2025.\n"
    )
    assert rels(t) == [("131/2025/NĐ-CP", ("implements",)), ("136/2025/NĐ-CP", ("implements",))]


def test_a_fact_stated_in_the_past_is_a_mention():
    # dev/62f25a030c183151.md II
    t = (
        "40 xã, phường đã được công bố tình huống khẩn cấp về thiên tai theo Quyết định số 02110/QĐ-UBND ngày "
        "20/11/2025 của UBND tỉnh, là các địa bàn bị ngập sâu.\n"
    )
    assert rels(t) == [("02110/QĐ-UBND", ("mentions",))]


def test_no_document_acts_on_a_later_one():
    # a passive read the wrong way round would link the 2014 law to the 2020 one
    t = (
        "*Căn cứ Luật Xây dựng số 50/2014/QH13, được sửa đổi, bổ sung tại Luật sửa đổi, bổ sung một số điều của "
        "Luật xây dựng số 62/2020/QH14 ngày 17 tháng 06 năm 2020;*\n**QUYẾT ĐỊNH:**\n"
    )
    assert links(t) == [("62/2020/QH14", "50/2014/QH13", "amends")]


def test_a_document_acted_on_by_name_is_linked_when_the_text_cites_its_number():
    # dev/1852f73167ca9236.md: the law is named with its number in one clause, by name in another
    t = (
        "*Căn cứ Luật Phí và lệ phí số 97/2015/QH13;*\n"
        "*Căn cứ Nghị định số 120/2016/NĐ-CP quy định chi tiết và hướng dẫn thi hành một số điều của Luật phí và lệ "
        "phí, được sửa đổi, bổ sung bởi Nghị định số 82/2023/NĐ-CP;*\n**QUYẾT NGHỊ:**\n"
    )
    assert links(t) == [("82/2023/NĐ-CP", "120/2016/NĐ-CP", "amends"), ("120/2016/NĐ-CP", "97/2015/QH13", "guides")]
    # dev/14893cd21e801bb3.md: "các nghị định liên quan đến <subject>" names the decree of that subject
    t = (
        "*Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08 tháng 6 năm 2010 của Chính phủ về kiểm soát thủ tục hành chính; "
        "Nghị định số 48/2013/NĐ-CP ngày 14 tháng 5 năm 2013 của Chính phủ sửa đổi, bổ sung một số điều của các nghị "
        "định liên quan đến kiểm soát thủ tục hành chính;*\n**QUYẾT ĐỊNH:**\n"
    )
    assert links(t) == [("48/2013/NĐ-CP", "63/2010/NĐ-CP", "amends")]
    # a name no cited document bears links nothing (data/plans: Luật Báo chí is cited by name only)
    t = "Căn cứ Nghị định số 09/2017/NĐ-CP quy định chi tiết một số điều của Luật Báo chí;\n**QUYẾT ĐỊNH:**\n"
    assert links(t) == []


def test_a_cue_wrapped_over_two_lines_is_read():
    # dev/14893cd21e801bb3.md, as crawled: "của Chính phủ sửa" / "đổi, bổ sung ..."
    t = (
        "Nghị định số 92/2017/NĐ-CP ngày 07 tháng 8 năm 2017 của Chính phủ sửa\nđổi, bổ sung một số điều của Nghị "
        "định số 63/2010/NĐ-CP.\n"
    )
    rec = extract_text(t)
    assert rec.citations[0].issuer == "Chính phủ"
    assert [(l.from_, l.to, l.relation) for l in rec.links] == [("92/2017/NĐ-CP", "63/2010/NĐ-CP", "amends")]


def test_a_passive_verb_after_a_semicolon_in_a_description():
    # vn-legal-2025/9ca435f010e53248.md (Cục Hải quan, Công văn 39365/CHQ-GSQL): the subject of 38/2015/TT-BTC holds ";"
    t = (
        "- Thủ tục hải quan đối với hàng hóa đưa vào, đưa ra kho ngoại quan được quy định tại Điều 91 Thông tư số "
        "38/2015/TT-BTC ngày 25/3/2015 của Bộ Tài chính quy định về thủ tục hải quan; kiểm tra, giám sát hải quan; "
        "thuế xuất khẩu, thuế nhập khẩu và quản lý thuế đối với hàng hóa xuất khẩu, nhập khẩu\n(được sửa đổi, bổ sung "
        "bởi khoản 59 Điều 1 Thông tư số 39/2018/TT-BTC ngày\n20/4/2018).\n"
    )
    assert rels(t) == [("38/2015/TT-BTC", ("implements",)), ("39/2018/TT-BTC", ("mentions",))]
    assert links(t) == [("39/2018/TT-BTC", "38/2015/TT-BTC", "amends")]


def test_can_cu_in_running_text_carries_a_document_out():
    # vn-legal-2025/d469759e6fcdc805.md Điều 3: only an opening "Căn cứ" makes legal basis
    t = (
        "2. Giao Chính phủ, căn cứ vào Nghị quyết này và Đề án số 397/ĐA-CP ngày 09 tháng 5 năm 2025 của Chính phủ, "
        "tổ chức việc xác định chính xác diện tích tự nhiên của các đơn vị hành chính cấp xã.\n"
    )
    assert rels(t) == [("397/ĐA-CP", ("implements",))]
