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
    assert names(ms, "support") == {"UBND các huyện, thành phố", "Ban Tuyên giáo Tỉnh ủy"}


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
    assert not any(m.name == "Bộ Thông tin và Truyền thông" for m in ms)
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
