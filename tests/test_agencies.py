"""Agency extraction (cơ quan chủ trì / phối hợp) on sentences from the sample plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from cancu.extractors.agencies import find_agencies, is_catch_all, is_collective, parse_list
from cancu.extractors.clean import clean
from cancu.extractors.outline import outline, preamble_end

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"


def run(text: str):
    ms = find_agencies(text, outline(text), preamble_end(text))
    for m in ms:
        assert text[m.start : m.end] == m.text
    return ms


def roles(ms):
    return {(m.role, m.name, m.task) for m in ms}


def names(ms, role):
    return {m.name for m in ms if m.role == role}


# -- fields ------------------------------------------------------------------


def test_fields_lead_and_support():
    # Cao Bằng 2023, task 3.3
    t = (
        "3. Đầu tư trang thiết bị\n"
        "3.3. Phối hợp với Bộ Văn hóa, Thể thao và Du lịch xây dựng cụm pano điện tử.\n"
        "- Đơn vị chủ trì, tham mưu: Sở Văn hóa, Thể thao và Du lịch.\n"
        "- Đơn vị phối hợp: Sở Thông tin và Truyền thông, đơn vị thuộc Bộ Văn hóa, Thể thao và Du lịch.\n"
    )
    assert roles(run(t)) == {
        ("lead", "Sở Văn hóa, Thể thao và Du lịch", "3.3"),
        ("support", "Sở Thông tin và Truyền thông", "3.3"),
        ("support", "đơn vị thuộc Bộ Văn hóa, Thể thao và Du lịch", "3.3"),
    }


def test_tham_muu_field_is_lead_and_thuc_hien_field_is_not():
    # Cao Bằng 2023, tasks 4 and 5.1
    t = (
        "4. Tuyên truyền sâu rộng về biên giới\n"
        "- Đơn vị tham mưu: Sở Thông tin và Truyền thông.\n"
        "- Đơn vị chủ trì thực hiện: Báo Cao Bằng, Đài Phát thanh - Truyền hình;\n"
        "- Đơn vị phối hợp: Các Sở, Ban ngành; Bộ Chỉ huy Bộ đội Biên phòng; UBND cấp huyện.\n"
        "5. Sản xuất nội dung\n"
        "- Đơn vị chủ trì: Sở Thông tin và Truyền thông,\n"
        "- Đơn vị thực hiện: Báo Cao Bằng, Đài Phát thanh - Truyền hình tỉnh và Trung tâm báo chí và truyền thông quốc tế (Cục Thông tin đối ngoại).\n"
        "- Đơn vị phối hợp: Sở Văn hóa, Thể thao và Du lịch; các cơ quan, đơn vị, địa phương có liên quan.\n"
    )
    ms = run(t)
    assert names(ms, "lead") == {"Sở Thông tin và Truyền thông", "Báo Cao Bằng", "Đài Phát thanh - Truyền hình tỉnh"}
    assert names(ms, "support") == {
        "Các Sở, Ban ngành",
        "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
        "UBND cấp huyện",
        "Sở Văn hóa, Thể thao và Du lịch",
    }
    dai = [m for m in ms if m.name.startswith("Đài")]
    assert [m.text for m in dai] == ["Đài Phát thanh - Truyền hình"]


def test_plain_thuc_hien_list_gives_no_role():
    # Yên Bái 2024, task 5.1
    t = (
        "5.1. Thông tin về Việt Nam\n"
        "b) Đơn vị thực hiện: Sở Thông tin và Truyền thông; Các sở, ban, ngành; Đài Phát thanh và "
        "Truyền hình Yên Bái; Báo Yên Bái; UBND các huyện, thị xã, thành phố.\n"
    )
    assert run(t) == []


# -- clauses -----------------------------------------------------------------


def test_x_chu_tri_phoi_hop_voi_y():
    # Yên Bái 2024, task 3.1
    t = (
        "3.1. Phối hợp triển khai các Chương trình mục tiêu quốc gia\n"
        "- Đơn vị thực hiện: Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Lao động, "
        "Thương binh và Xã hội, UBND các huyện, thị xã, thành phố.\n"
    )
    ms = run(t)
    assert roles(ms) == {
        ("lead", "Sở Thông tin và Truyền thông", "3.1"),
        ("support", "Sở Lao động, Thương binh và Xã hội", "3.1"),
        ("support", "UBND các huyện, thị xã, thành phố", "3.1"),
    }
    assert [m.role for m in ms] == ["lead", "support", "support"]  # sorted by start
    assert ms[0].task_title.startswith("Phối hợp triển khai")


def test_apposition_is_cut():
    # Yên Bái 2024, task 4
    t = (
        "4. Đề án truyền thông về nhân quyền\n"
        "b) Đơn vị thực hiện: Sở Thông tin và Truyền thông chủ trì, phối hợp với Công an tỉnh - "
        "cơ quan thường trực Ban chỉ đạo công tác nhân quyền tỉnh Yên Bái.\n"
    )
    ms = run(t)
    assert names(ms, "support") == {"Công an tỉnh"}
    assert [m.text for m in ms if m.role == "support"] == ["Công an tỉnh"]


def test_de_nghi_x_chu_tri():
    # Yên Bái 2024, task 8
    t = (
        "8. Tuyên truyền về biển, đảo\n"
        "- Đơn vị thực hiện: Đề nghị Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với các sở, ban, "
        "ngành, đoàn thể tỉnh thực hiện.\n"
    )
    assert roles(run(t)) == {
        ("lead", "Ban Tuyên giáo Tỉnh ủy", "8"),
        ("support", "các sở, ban, ngành, đoàn thể tỉnh", "8"),
    }


def test_inline_list_stops_at_verb_and_keeps_va_inside_collective():
    # Thừa Thiên Huế 2024, task 3.a
    t = (
        "3. Tuyên truyền, quảng bá hình ảnh của tỉnh\n"
        "a) Phối hợp với Bộ Thông tin và Truyền thông quảng bá hình ảnh của tỉnh trên Cổng Vietnam.vn\n"
        "Sở Thông tin và Truyền thông chủ trì, phối hợp với Văn phòng UBND tỉnh, các sở, ban, ngành "
        "của tỉnh, UBND huyện, thành phố, các cơ quan báo chí Trung ương và địa phương chọn lọc, "
        "cung cấp thông tin tuyên truyền.\n"
    )
    ms = run(t)
    assert names(ms, "lead") == {"Sở Thông tin và Truyền thông"}
    # no "Ủy ban nhân dân" spelled out here: UBND stays
    assert names(ms, "support") == {
        "Văn phòng UBND tỉnh",
        "các sở, ban, ngành của tỉnh",
        "UBND huyện, thành phố",
        "các cơ quan báo chí Trung ương và địa phương",
    }
    # the heading "Phối hợp với Bộ ..." has no subject: no role for the Bộ
    assert not any(m.name.startswith("Bộ") for m in ms)


def test_subject_of_phoi_hop_and_closing_request():
    # Cao Bằng 2023, IV.7 and closing paragraph
    t = (
        "IV. TỔ CHỨC THỰC HIỆN\n"
        "7. Các Sở, Ban ngành, đoàn thể, UBND các huyện, thành phố\n"
        "- UBND các huyện, thành phố phối hợp với Sở Thông tin và Truyền thông, các cơ quan liên "
        "quan triển khai các hoạt động về công tác thông tin đối ngoại.\n"
        "Trên đây là Kế hoạch công tác thông tin đối ngoại năm 2023, đề nghị Ban Tuyên giáo Tỉnh ủy "
        "phối hợp và yêu cầu các cơ quan, đơn vị, địa phương nghiêm túc triển khai.\n"
    )
    ms = run(t)
    assert names(ms, "lead") == set()
    # the named partner of "phối hợp với X" supports too (GOLD-SCHEMA: agencies)
    assert names(ms, "support") == {
        "UBND các huyện, thành phố",
        "Sở Thông tin và Truyền thông",
        "Ban Tuyên giáo Tỉnh ủy",
    }


# -- assignment headings -----------------------------------------------------

PHU_THO_IV = """IV. TỔ CHỨC THỰC HIỆN
1. Sở Thông tin và Truyền thông
- Chủ trì, tham mưu cho UBND tỉnh quản lý nhà nước về hoạt động thông tin đối ngoại; phối hợp với các cơ quan, đơn vị có liên quan triển khai thực hiện hiệu quả Kế hoạch này.
2. Các sở, ban, ngành, đoàn thể; UBND các huyện, thành, thị
- Phối hợp với Sở Thông tin và Truyền thông nghiên cứu, triển khai hướng dẫn của Bộ Thông tin và Truyền thông.
3. Đề nghị Ban Tuyên giáo Tỉnh ủy
Chỉ đạo, định hướng công tác thông tin; phối hợp xây dựng tài liệu đấu tranh, phản bác các thông tin xấu, độc.
4. Sở Tài chính
Tham mưu Ủy ban nhân dân tỉnh cân đối, bố trí ngân sách cho hoạt động thông tin đối ngoại.
"""


def test_assignment_headings():
    ms = run(PHU_THO_IV)
    assert roles(ms) == {
        ("lead", "Sở Thông tin và Truyền thông", "IV.1"),
        ("support", "Các sở, ban, ngành, đoàn thể", "IV.2"),
        ("support", "UBND các huyện, thành, thị", "IV.2"),
        ("support", "Sở Thông tin và Truyền thông", "IV.2"),  # the partner of "Phối hợp với"
        ("support", "Ban Tuyên giáo Tỉnh ủy", "IV.3"),
    }
    # the span is the name in the heading
    lead = [m for m in ms if m.role == "lead"][0]
    assert PHU_THO_IV[lead.start - 3 : lead.start] == "1. "


def test_heading_with_apposition_and_lettered_items():
    # Thừa Thiên Huế 2024, III.1
    t = (
        "III. PHÂN CÔNG NHIỆM VỤ\n"
        "1. Đề nghị Ban Tuyên giáo Tỉnh ủy - Cơ quan thường trực Ban Chỉ đạo Công tác thông tin đối ngoại tỉnh\n"
        "a) Đề nghị Ban Tuyên giáo Tỉnh ủy tiếp tục phối hợp với các cơ quan liên quan trong việc cung cấp, chia sẻ thông tin;\n"
        "b) Đề nghị tiếp tục phối hợp với các cơ quan liên quan kịp thời hướng dẫn, cung cấp thông tin;\n"
        "d) Chủ trì, hướng dẫn các ban ngành, địa phương trên địa bàn tỉnh triển khai thực hiện Kết luận số 57-KL/TW.\n"
    )
    assert roles(run(t)) == {
        ("support", "Ban Tuyên giáo Tỉnh ủy", "III.1.a"),
        ("support", "Ban Tuyên giáo Tỉnh ủy", "III.1.b"),
        ("lead", "Ban Tuyên giáo Tỉnh ủy", "III.1.d"),
    }


# -- tables ------------------------------------------------------------------


def test_appendix_table_with_wrapped_cell():
    # Thừa Thiên Huế 2024, appendix rows 4.1 and 5 (row 5 wraps onto a second line)
    t = (
        "I. MỤC ĐÍCH\n"
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch.\n"
        "PHỤ LỤC NHIỆM VỤ CỤ THỂ\n"
        "STT\tNhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian\n"
        "4.1\t<i>Quảng bá hình ảnh của tỉnh</i>\tThông tin và Truyền thông\tCác Sở, ban ngành, "
        "UBND các huyện, thị xã, thành phố Huế; Báo Thừa Thiên Huế\tTrong năm 2024\n"
        "5\tTuyên truyền biển, đảo\tSở Thông tin và Truyền thông; Bộ chỉ huy Bộ đội Biên phòng tỉnh\t"
        "Mời Ban Tuyên giáo Tỉnh ủy; Công an tỉnh; Đài Phát\tTrong năm 2024\n"
        "\n"
        "\t\t\tthanh và Truyền hình tỉnh Thừa Thiên Huế\t\n"
    )
    ms = run(t)
    assert names(ms, "lead") == {"Sở Thông tin và Truyền thông", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"}
    assert names(ms, "support") == {
        "Các Sở, ban ngành",
        "UBND các huyện, thị xã, thành phố Huế",
        "Báo Thừa Thiên Huế",
        "Ban Tuyên giáo Tỉnh ủy",
        "Công an tỉnh",
        "Đài Phát thanh và Truyền hình tỉnh",
    }
    assert {m.task for m in ms} == {"PL.4.1", "PL.5"}


# -- names -------------------------------------------------------------------


def test_abbreviation_expanded_only_when_spelled_out():
    body = (
        "1. Thực hiện Quyết định số 1191/QĐ-TTg\n"
        "Sở TTTT chủ trì, phối hợp với Văn phòng UBND tỉnh, UBND huyện Trùng Khánh triển khai.\n"
    )
    spelled = (
        "Ủy ban nhân dân (UBND) tỉnh ban hành Kế hoạch.\n"
        + body
        + "2. Việc khác\n- Đơn vị chủ trì: Sở Thông tin và Truyền thông.\n"
    )
    ms = run(spelled)
    assert names(ms, "lead") == {"Sở Thông tin và Truyền thông"}
    assert names(ms, "support") == {"Văn phòng Ủy ban nhân dân tỉnh", "Ủy ban nhân dân huyện Trùng Khánh"}
    ms = run(body)
    assert names(ms, "lead") == {"Sở TTTT"}
    assert names(ms, "support") == {"Văn phòng UBND tỉnh", "UBND huyện Trùng Khánh"}


def test_province_dropped_after_tinh_but_kept_in_proper_names():
    # Lào Cai 2022, tasks 1.1 and 3.2
    t = (
        "1.1. Tuyên truyền các chủ trương, chính sách\n"
        "b) Đơn vị chủ trì: Báo Lào Cai, Đài Phát thanh - Truyền hình tỉnh Lào Cai, Tạp chí Phansipăng, Hội Nhà báo tỉnh Lào Cai.\n"
        "3.2. Nâng cao chất lượng thông tin\n"
        "- Đơn vị phối hợp: Ban Quản lý các Khu kinh tế tỉnh Lào Cai; Bộ Chỉ huy Bộ đội Biên phòng tỉnh; UBND thành phố Lào Cai; các cơ quan báo chí; các cơ quan, đơn vị có liên quan.\n"
    )
    ms = run(t)
    assert names(ms, "lead") == {
        "Báo Lào Cai",
        "Đài Phát thanh - Truyền hình tỉnh",
        "Tạp chí Phansipăng",
        "Hội Nhà báo tỉnh",
    }
    assert names(ms, "support") == {
        "Ban Quản lý các Khu kinh tế tỉnh",
        "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
        "UBND thành phố Lào Cai",
        "các cơ quan báo chí",
    }


def test_variants_take_one_spelling():
    # Yên Bái 2024, tasks 6.3 and 6.4: "Sở Văn hóa Thể thao và Du lịch" is spelt as in 6.4
    t = (
        "6.3. Quảng bá hình ảnh qua hoạt động xúc tiến\n"
        "- Cơ quan chủ trì: Sở Công Thương, Sở Kế hoạch và Đầu tư, Sở Văn hóa Thể thao và Du lịch\n"
        "- Cơ quan phối hợp: Các Sở, ban, ngành; Ủy ban nhân dân các huyện, thị xã, thành phố; các cơ quan báo chí, truyền thông.\n"
        "6.4. Quảng bá hình ảnh qua các đoàn\n"
        "- Đơn vị thực hiện: Văn phòng Ủy ban nhân dân tỉnh chủ trì, phối hợp với Sở Văn hóa, Thể thao và Du lịch, "
        "UBND các huyện, thị xã, thành phố.\n"
    )
    ms = run(t)
    assert "Sở Văn hóa, Thể thao và Du lịch" in names(ms, "lead")
    assert "Sở Văn hóa Thể thao và Du lịch" not in names(ms, "lead")
    # one collective, two spellings, tie: the first seen
    ubnd = {m.name for m in ms if "huyện" in m.name}
    assert ubnd == {"Ủy ban nhân dân các huyện, thị xã, thành phố"}


def test_list_splitting():
    got = [
        i.text
        for i in parse_list(
            "Sở Văn hóa, Thể thao và Du lịch, Sở Lao động, Thương binh và Xã hội; "
            "các sở, ban, ngành, UBND các huyện, thị xã, thành phố và các cơ quan liên quan"
        )
    ]
    assert got == [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Lao động, Thương binh và Xã hội",
        "các sở, ban, ngành",
        "UBND các huyện, thị xã, thành phố",
        "các cơ quan liên quan",
    ]


@pytest.mark.parametrize(
    "name, catch_all",
    [
        ("các cơ quan, đơn vị có liên quan", True),
        ("các đơn vị", True),
        ("Các cơ quan, đơn vị, tổ chức liên quan", True),
        ("các địa phương có liên quan", True),
        ("Các phòng, ban, đơn vị có liên quan", False),
        ("các địa phương ven biển, đàm phá", False),
        ("sở, ngành, địa phương", False),
        ("các cơ quan báo chí", False),
    ],
)
def test_catch_all(name, catch_all):
    assert is_catch_all(name) is catch_all


def test_collective():
    assert is_collective("UBND các huyện, thị xã, thành phố")
    assert is_collective("UBND huyện, thành phố")
    assert is_collective("Văn phòng UBND các huyện, thị xã, thành phố")
    assert not is_collective("UBND huyện Trùng Khánh")
    assert not is_collective("Sở Ngoại vụ")


def test_preamble_and_recipients_are_ignored():
    t = (
        "Kính gửi:\n- Ban Tuyên giáo Tỉnh ủy;\n\n"
        "Căn cứ Công văn số 3089/BTTTT-TTĐN, Sở Thông tin và Truyền thông chủ trì xây dựng dự thảo.\n"
        "I. MỤC ĐÍCH\n"
        "1. Mục đích\n- Sở Ngoại vụ chủ trì, phối hợp với Công an tỉnh thực hiện.\n"
        "Nơi nhận:\n- Sở Du lịch chủ trì;\n"
    )
    assert roles(run(t)) == {("lead", "Sở Ngoại vụ", "I.1"), ("support", "Công an tỉnh", "I.1")}


# -- whole plans -------------------------------------------------------------

CAO_BANG_LEAD = {
    "Sở Thông tin và Truyền thông",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Báo Cao Bằng",
    "Đài Phát thanh - Truyền hình tỉnh",
    "Sở Kế hoạch và Đầu tư",
    "Sở Ngoại vụ",
    "Công an tỉnh",
    "Ban Tuyên giáo Tỉnh ủy",
}
CAO_BANG_SUPPORT = {
    "Các Sở, Ban ngành",
    "UBND các huyện, thành phố",
    "Đơn vị thuộc Bộ Thông tin và Truyền thông",
    "Ủy ban nhân dân huyện Trùng Khánh",
    "Sở Thông tin và Truyền thông",
    "Bộ Tư lệnh Bộ đội Biên phòng",
    "đơn vị thuộc Bộ Văn hóa, Thể thao và Du lịch",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Sở Ngoại vụ",
    "Ban Tuyên giáo Tỉnh ủy",
    "Công an tỉnh",
    "các đơn vị thuộc Bộ Tư lệnh Bộ đội Biên phòng",
    # partners of "phối hợp với": "- Phối hợp với Sở Thông tin và Truyền thông và
    # các Sở, Ban ngành, địa phương xây dựng ..." (IV.1), "tham mưu UBND tỉnh
    # phối hợp với Bộ Thông tin và Truyền thông trong việc ..." (IV.7)
    "các Sở, Ban ngành, địa phương",
    "Bộ Thông tin và Truyền thông",
}


def _plan(name):
    path = PLANS / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    return clean(path.read_text(encoding="utf-8")).text


def test_whole_plan_cao_bang():
    t = _plan("cao-bang-2023-ttdn.txt")
    ms = run(t)
    assert names(ms, "lead") == CAO_BANG_LEAD
    assert names(ms, "support") == CAO_BANG_SUPPORT
    # Cao Bằng IV.6: units of both ministries
    iv6 = {m.name for m in ms if m.task == "IV.6" and m.role == "support"}
    assert iv6 == {"các đơn vị thuộc Bộ Tư lệnh Bộ đội Biên phòng", "Đơn vị thuộc Bộ Thông tin và Truyền thông"}
    # section II task 3.2 "Phối hợp với Bộ ..." heading gives no role to the Bộ named in it
    assert not any(m.name == "Bộ Thông tin và Truyền thông" and m.task.startswith("II") for m in ms)
    assert ms == sorted(ms, key=lambda m: (m.start, m.role, m.name, m.task or ""))
    assert ms == run(t)  # deterministic


@pytest.mark.parametrize("name", sorted(p.name for p in PLANS.glob("*.txt")) if PLANS.exists() else [])
def test_whole_plans_spans_and_tasks(name):
    t = _plan(name)
    secs = {s.id: s for s in outline(t)}
    ms = run(t)
    assert ms
    for m in ms:
        assert m.role in ("lead", "support")
        assert m.start >= preamble_end(t)
        assert m.task is None or secs[m.task].title == m.task_title


# -- the conventions of the dev gold (GOLD-SCHEMA.md, NOTES-dev.md) ------------

from cancu.extractors.agencies import find_assignments  # noqa: E402


def assign(text: str):
    ags, cols = find_assignments(text, outline(text), preamble_end(text))
    for m in ags + cols:
        assert text[m.start : m.end] == m.text
    return {(m.role, m.name) for m in ags}, {(m.role, m.name) for m in cols}, ags


def test_central_giao_chu_tri_phoi_hop_voi():
    # dev: 265ff514762b4c47.md (Kết luận 221-KL/TW, items 3-5)
    t = (
        "**3.** Giao Đảng uỷ Chính phủ lãnh đạo, chỉ đạo các bộ, ngành tiếp tục phối hợp với Bộ Tư pháp và các "
        "cơ quan liên quan khẩn trương rà soát toàn bộ hệ thống văn bản quy phạm pháp luật.\n"
        "**4.** Các tỉnh uỷ, thành uỷ phối hợp Bộ Y tế, Bộ Giáo dục và Đào tạo và Bộ Nội vụ khẩn trương sắp xếp "
        "các cơ sở giáo dục công lập cấp xã.\n"
        "**5.** Giao Ban Tổ chức Trung ương tiếp tục chủ trì, phối hợp với Bộ Nội vụ đánh giá kỹ tình hình.\n"
    )
    ags, cols, _ = assign(t)
    assert ags == {
        ("support", "Bộ Tư pháp"),
        ("support", "Bộ Y tế"),
        ("support", "Bộ Giáo dục và Đào tạo"),
        ("support", "Bộ Nội vụ"),
        ("lead", "Ban Tổ chức Trung ương"),
    }
    # "Đảng uỷ Chính phủ lãnh đạo, chỉ đạo": it neither leads nor supports
    assert ("support", "các bộ, ngành") in cols and ("support", "Các tỉnh uỷ, thành uỷ") in cols


def test_pm_dispatch_holder_cung_and_companies():
    # dev: 1095764e502a89b8.md (Công điện 224/CĐ-TTg, items 3, 5, 6)
    t = (
        "**3.** Bộ Tài chính chủ trì cùng Bộ Xây dựng và các bộ, ngành liên quan rà soát, đánh giá đề xuất thưởng.\n"
        "**5.** Tập đoàn Công nghiệp - Viễn thông Quân đội, Tập đoàn Bưu chính Viễn thông Việt Nam chủ trì, phối hợp "
        "với Bộ Xây dựng, Đài truyền hình Việt Nam và các bộ, ngành, địa phương chủ động chuẩn bị tốt điều kiện.\n"
        "**6.** Bộ trưởng Bộ Nội vụ chỉ đạo chủ trì, phối hợp với Bộ Xây dựng, Văn phòng Chính phủ, các bộ, ngành, "
        "địa phương liên quan khẩn trương hướng dẫn, rà soát.\n"
    )
    ags, cols, ms = assign(t)
    assert ags == {
        ("lead", "Bộ Tài chính"),
        ("support", "Bộ Xây dựng"),
        ("support", "Đài Truyền hình Việt Nam"),  # a known body: its own spelling
        ("lead", "Bộ Nội vụ"),  # the minister's body
        ("support", "Văn phòng Chính phủ"),
    }
    # state groups are companies: listed apart, not as agencies
    assert ("lead", "Tập đoàn Công nghiệp - Viễn thông Quân đội") in cols
    assert ("lead", "Tập đoàn Bưu chính Viễn thông Việt Nam") in cols


def test_subject_of_an_earlier_clause_and_list_ending_at_verb():
    # dev: 405a6cabda393030.md (Thông báo 659/TB-VPCP, item 3)
    t = (
        "3. Bộ Tư pháp có trách nhiệm kiểm tra, đôn đốc các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ trong "
        "việc thực hiện các Nghị quyết và các nhiệm vụ nêu trên; chủ trì, phối hợp với Văn phòng Chính phủ khẩn "
        "trương nghiên cứu, đề xuất cấp có thẩm quyền ban hành tiêu chí đánh giá.\n"
    )
    ags, _, _ = assign(t)
    assert ags == {("lead", "Bộ Tư pháp"), ("support", "Văn phòng Chính phủ")}


def test_bold_headings_broken_over_lines_each_their_own_task():
    # dev: 62f25a030c183151.md (Kế hoạch 0129/KH-UBND, IV.1-2)
    t = (
        "**IV.\nPHÂN CÔNG NHIỆM VỤ**\n\n"
        "**1.\nSở Công Thương:**\n\n"
        "- Chủ trì điều phối toàn bộ nguồn hàng hỗ trợ từ nguồn ngân sách nhà nước.\n\n"
        "- Phối hợp Bộ Chỉ huy Quân sự tỉnh, Công an tỉnh và UBND các xã, phường tổ chức vận chuyển hàng.\n\n"
        "**2.** **Sở Nông nghiệp và Môi trường:**\n\n"
        "- Phối hợp UBND các xã, phường cập nhật thiệt hại nông nghiệp, thủy sản.\n"
    )
    ags, cols, ms = assign(t)
    assert ags == {
        ("lead", "Sở Công Thương"),
        ("support", "Sở Công Thương"),
        ("support", "Bộ Chỉ huy Quân sự tỉnh"),
        ("support", "Công an tỉnh"),
        ("support", "Sở Nông nghiệp và Môi trường"),
    }
    assert {m.task for m in ms if m.name == "Sở Công Thương"} == {"IV.1"}
    assert {m.task for m in ms if m.name == "Sở Nông nghiệp và Môi trường"} == {"IV.2"}
    assert ("support", "UBND các xã, phường") in cols


def test_partners_of_phoi_hop_voi_under_a_body_heading():
    # dev: 001c610b2efdcf0c.md (Kế hoạch kèm Quyết định 2820/QĐ-UBND, IV.1), after the
    # decision's "Nơi nhận" list: the plan bound after it is read
    t = (
        "*Nơi nhận:*\n- Như Điều 3;\n- Lưu: VT, (TH/MT).\n|\n**KT. CHỦ TỊCH**\n\n**KẾ HOẠCH**\n\n"
        "**IV. TỔ CHỨC THỰC HIỆN**\n\n**1. Sở Tài chính **(cơ quan chủ trì)\n\n"
        "- Chủ trì xây dựng, tổ chức thực hiện, theo dõi, đôn đốc thực hiện Kế hoạch.\n\n"
        "- Phối hợp với Sở Xây dựng, Sở Quy hoạch - Kiến trúc và Sở Nông nghiệp và Môi trường hướng dẫn các đơn "
        "vị cập nhật, tích hợp cơ sở dữ liệu lên hệ thống.\n"
    )
    ags, _, _ = assign(t)
    assert ags == {
        ("lead", "Sở Tài chính"),
        ("support", "Sở Tài chính"),
        ("support", "Sở Xây dựng"),
        ("support", "Sở Quy hoạch - Kiến trúc"),
        ("support", "Sở Nông nghiệp và Môi trường"),
    }


C5_TABLE = """**PHỤ LỤC**
|
**TT**
|
**Nội dung thực hiện**
|
**Cơ quan chủ trì**
|
**Cơ quan phối hợp**
|
**Thời gian hoàn thành**
|
**Sản phẩm dự kiến**
|
|
**I**
|
**KIỆN TOÀN VÀ HOÀN THIỆN CƠ CHẾ CHỈ ĐẠO, ĐIỀU HÀNH PHÒNG THỦ DÂN SỰ**
|
|
1
|
Tổ chức lại Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã
|
Bộ CHQS tỉnh; UBND cấp xã
|
Văn phòng Ban Chỉ huy; các sở, ban, ngành
|
Trước ngày 30/11/2025
|
Quyết định của Chủ tịch UBND cấp tỉnh, cấp xã
|
|
5
|
Hướng dẫn thanh toán chi phí khám bệnh, chữa bệnh
|
Sở Y tế
|
Sở Tài chính và cơ quan, địa phương liên quan
|
2025
|
|
|
6
|
Diễn tập phòng thủ dân sự các cấp
|
Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã
|
Văn phòng Ban Chỉ huy
|
Hằng năm
|
|

*Nơi nhận:*
- Bộ Chỉ huy Quân sự tỉnh;
- Lưu: VT.
"""


def test_pipe_table_columns():
    # dev: c5d930a5fc8373cd.md (Kế hoạch 980/KH-UBND, appendix; rows as the portal renders them)
    ags, cols, ms = assign("I. NỘI DUNG\n" + C5_TABLE)
    assert ags == {
        ("lead", "Bộ Chỉ huy Quân sự tỉnh"),  # "Bộ CHQS tỉnh", spelled out in Nơi nhận
        ("support", "Văn phòng Ban Chỉ huy"),
        ("lead", "Sở Y tế"),
        ("support", "Sở Tài chính"),
        ("lead", "Ban Chỉ huy Phòng thủ dân sự tỉnh"),  # "... cấp tỉnh, cấp xã" split
    }
    assert ("lead", "UBND cấp xã") in cols and ("lead", "Ban Chỉ huy Phòng thủ dân sự cấp xã") in cols
    # dates and products are not bodies
    assert not any("2025" in m.name or "Quyết định" in m.name for m in ms)


def test_thuc_hien_field_leads_beside_a_phoi_hop_field():
    # dev: 6a406c1f9dfed9c3.md (Kế hoạch 7360/KH-UBND, II.1)
    t = (
        "II. NHIỆM VỤ\n1. Tổ chức phổ biến Luật\n"
        "- Cơ quan thực hiện: Sở Khoa học và Công nghệ; Sở Tư pháp; Sở Văn hóa, Thể thao và Du lịch; Báo và Phát "
        "thanh Truyền hình Lai Châu và các sở, ngành có liên quan.\n\n"
        "- Cơ quan phối hợp: Các sở, ngành; Ủy ban nhân dân các xã, phường.\n"
    )
    ags, cols, ms = assign(t)
    assert ags == {
        ("lead", "Sở Khoa học và Công nghệ"),
        ("lead", "Sở Tư pháp"),
        ("lead", "Sở Văn hóa, Thể thao và Du lịch"),
        ("lead", "Báo và Phát thanh Truyền hình Lai Châu"),
    }
    assert ("support", "Ủy ban nhân dân các xã, phường") in cols
    bao = [m for m in ms if m.name.startswith("Báo")]
    assert [m.canonical for m in bao] == ["Báo và Phát thanh Truyền hình"]  # the province dropped


def test_request_heading_and_chi_dao_object():
    # dev: 8718801c503045f9.md (Kế hoạch 617/KH-UBND, IV.6) and 4f30202155d56bdd.md (Chỉ thị 06/CT-UBND, 2 and 4)
    t = (
        "IV. TỔ CHỨC THỰC HIỆN\n"
        "**6. Đề nghị: Hiệp hội Doanh nghiệp tỉnh, Hội Nông dân tỉnh, Liên minh Hợp tác xã Tỉnh**\n\n"
        "Phối hợp giới thiệu mô hình chuyển đổi số hiệu quả.\n\n"
        "7. Sở Nông nghiệp và Môi trường\n\n"
        "- Chỉ đạo lực lượng Kiểm lâm thường xuyên tổ chức lực lượng, phối hợp tuần tra, kiểm tra rừng.\n\n"
        "8. Công an tỉnh\n\n"
        "Chỉ đạo các đơn vị trực thuộc, lực lượng Công an xã tăng cường phối hợp, hỗ trợ chính quyền địa phương.\n"
    )
    ags, cols, _ = assign(t)
    assert ags == {
        ("support", "Hiệp hội Doanh nghiệp tỉnh"),
        ("support", "Hội Nông dân tỉnh"),
        ("support", "Liên minh Hợp tác xã Tỉnh"),
        ("support", "lực lượng Kiểm lâm"),  # the object of "Chỉ đạo", not the Sở
        ("support", "Công an tỉnh"),  # its own units
    }
    assert ("support", "lực lượng Công an xã") in cols


def test_named_units_split():
    # corpus: vn-legal-2025/0399a97303e657f4.md ("UBND các phường: Hải Bình, Đào Duy Từ")
    s = "Kho bạc nhà nước khu vực XI; UBND các phường: Hải Bình, Đào Duy Từ"
    got = parse_list(s)
    assert [i.text for i in got] == ["Kho bạc nhà nước khu vực XI", "UBND phường Hải Bình", "UBND phường Đào Duy Từ"]
    assert [s[i.start : i.end] for i in got][1:] == ["UBND các phường: Hải Bình", "Đào Duy Từ"]
    assert not is_collective("UBND phường Hải Bình")


def test_canonical_filled_and_generic_names_are_collectives():
    # dev: c5d930a5fc8373cd.md (row 4) and 62f25a030c183151.md (item 11)
    assert is_collective("Sở, ban, ngành, tổ chức chính trị - xã hội")
    assert is_collective("Cơ quan, địa phương liên quan")
    assert is_collective("Mặt trận cơ sở")
    assert not is_collective("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh")
    _, _, ms = assign("1. Nhiệm vụ\nSở Y tế chủ trì, phối hợp với UBND tỉnh Lai Châu triển khai.\n")
    assert [(m.name, m.canonical) for m in ms] == [("Sở Y tế", "Sở Y tế"), ("UBND tỉnh", "Ủy ban nhân dân tỉnh")]


def test_the_words_found_by_a_lower_cased_search_are_letters_the_engine_folds_as_str_lower():
    """Two shortcuts of the agency reader search a lower-cased copy of the
    text for words whose patterns ignore case: the request and causative
    words (_may_hold_request) and the first word of every
    known body's spelling (_Lowered). Both set apart a text holding "ı",
    "İ" or "ſ" (vocabulary.folds_apart), and are exact only for letters
    whose case the engine folds as str.lower does: those _plain_case lets
    through (tests/test_selfinfo.py
    checks them against the engine). A word of data/cues.json,
    data/agency_kinds.json or data/agencies.jsonl with another letter fails here."""
    from cancu.extractors import agencies, selfinfo
    from cancu.extractors.agency_known import _all_alias_patterns, _form_words

    requests = agencies._REQUEST_WORDS
    assert requests and all(selfinfo._plain_case("", [w]) and "s" not in w.lower() for w in requests)
    firsts = sorted({_form_words(form)[0][0] for _, _, form in _all_alias_patterns()})
    assert len(firsts) > 20
    assert [w for w in firsts if not selfinfo._plain_case("", [w])] == []


def test_a_word_that_names_no_body_is_no_agency():
    # corpus: vn-legal-2025/1ea5e769bcf16b99.md (a procedure's row 2.7: "Không", no partner)
    row = (
        "**2.7**\n|\n**Cơ quan thực hiện: **Sở Y tế\n**Cơ quan có thẩm quyền quyết định**: Sở Y tế\n"
        "**Cơ quan được ủy quyền**: Không\n**Cơ quan phối hợp**: Không\n|\n|\n"
    )
    ags, cols = find_assignments(row, outline(row), 0)
    assert ([(m.role, m.name) for m in ags], cols) == ([("lead", "Sở Y tế")], [])
    # corpus: vn-legal-2025/a8e9e9675ab618ee.md (item 3: "III và IV", the numerals of two zones)
    item = (
        "3. Cục Đường bộ Việt Nam\n- Chỉ đạo các Khu Quản lý đường bộ III và IV phối\nhợp với các Sở Xây dựng "
        "liên quan tổ chức trực, phân luồng từ xa và phối hợp\nvới các cơ quan truyền thông để thông tin cho "
        "người tham gia giao thông biết;"
    )
    ags, cols = find_assignments(item, outline(item), 0)
    assert ags == []
    assert [m.name for m in cols] == [
        "các Khu Quản lý đường bộ III",
        "các Sở Xây dựng liên quan",
        "các cơ quan truyền thông",
    ]


def test_a_head_word_alone_is_a_kind_of_body():
    # corpus: vn-legal-2025/1b5a1c96fd433044.md (Điều 226 Luật Đất đai 2024, quoted)
    clause = (
        "1. Bộ, ngành theo chức năng, nhiệm vụ, quyền hạn của mình có trách nhiệm phối hợp trong chỉ đạo, "
        "hướng dẫn, kiểm tra việc thực hiện thủ tục hành chính về đất đai"
    )
    ags, cols = find_assignments(clause, outline(clause), 0)
    assert (ags, [(m.role, m.name) for m in cols]) == ([], [("support", "Bộ"), ("support", "ngành")])


@pytest.mark.parametrize(
    "name, no_body, kind",
    [
        ("Không", True, False),
        ("Ông", True, False),
        ("Các", True, False),
        ("IV", True, False),
        ("III.1", True, False),
        ("Bộ", False, True),
        ("Viện", False, True),
        ("Trường", False, True),
        ("ngành", False, False),
        ("Bộ Công an", False, False),
        ("Tỉnh ủy", False, False),
        ("VNPT", False, False),
        ("Viettel", False, False),
    ],
)
def test_names_no_body_and_names_a_kind(name, no_body, kind):
    from cancu.extractors.agency_lists import names_a_kind, names_no_body

    assert (names_no_body(name), names_a_kind(name)) == (no_body, kind)
