"""The interface in simplified Chinese: the words of forms, messages, choices and the admin come from the
catalogue (locale/zh_Hans), and English stays English wherever no language is asked for.

A page is asked for in Chinese at the address the URL configuration gives while Chinese is active (a language
prefix, where the site has one), with the browser asking for Chinese (the admin follows it) and Chinese active."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from cases.core.dates import Precision, format_date
from cases.curation import workflow
from cases.interventions.models import Intervention, Outcome, Stage
from cases.teaching.forms import MoveForm, ReadingListForm
from tests import factories as f

CHINESE = "zh-hans"


def chinese_url(name, *args):
    with translation.override(CHINESE):
        return reverse(name, args=args)


def in_chinese(client, method, url, data=None, **kwargs):
    """A request as a Chinese reader's browser makes it, at the Chinese address, with Chinese active."""
    with translation.override(CHINESE):
        return getattr(client, method)(url, data, HTTP_ACCEPT_LANGUAGE=CHINESE, **kwargs)


def test_choice_labels_and_dates_follow_the_language():
    case = Intervention(stage=Stage.CAMPAIGN, outcome=Outcome.PARTIAL)
    with translation.override(CHINESE):
        assert case.get_stage_display() == "运动（运动过程阶段）"
        assert case.get_outcome_display() == "部分达成"
        assert format_date(datetime.date(2013, 2, 1), Precision.MONTH) == "2013年2月"
        assert format_date(datetime.date(2012, 3, 31), Precision.DAY) == "2012年3月31日"
    assert case.get_stage_display() == "Campaign (movement process)"
    assert format_date(datetime.date(2012, 3, 31), Precision.DAY) == "31 March 2012"


def test_form_errors_are_in_the_active_language():
    with translation.override(CHINESE):
        form = ReadingListForm({"title": "劳工NGO", "due_date": "1999-12-31"})
        assert form.errors["due_date"] == ["请填写 2000 至 2100 年之间的截止日期，或留空。"]
        assert MoveForm({"position": "0"}).errors["position"] == ["位置从 1 开始。"]
    with translation.override("zh-hant"):
        form = ReadingListForm({"title": "勞工NGO", "due_date": "1999-12-31"})
        assert form.errors["due_date"] == ["請填寫 2000 至 2100 年之間的截止日期，或留空。"]
    form = ReadingListForm({"title": "Labour NGOs", "due_date": "1999-12-31"})
    assert form.errors["due_date"] == ["Give a due date between 2000 and 2100, or leave it empty."]


def test_a_refused_publication_names_what_is_missing_in_chinese():
    case = f.InterventionFactory(status="draft")
    case.issues.clear()
    case.tactics.clear()
    with translation.override(CHINESE), pytest.raises(Exception) as refused:
        workflow.check_complete(case)
    assert refused.value.messages == ["发布前还需要一个主导组织、一个议题和一项策略：请先添加。"]


def test_reading_list_pages_and_messages_in_chinese(signed_in):
    response = in_chinese(signed_in, "post", chinese_url("teaching:list_create"), {"title": "集体谈判"}, follow=True)
    page = response.content.decode()
    assert "已创建阅读清单“集体谈判”。" in page
    assert "分享给学生" in page and "导出参考文献" in page
    assert "Share with students" not in page


def test_a_form_error_on_a_page_in_chinese(signed_in):
    data = {"title": "最低工资", "due_date": "2300-01-01"}
    response = in_chinese(signed_in, "post", chinese_url("teaching:list_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写 2000 至 2100 年之间的截止日期，或留空。" in page
    assert "（选填）" in page  # the optional fields' mark, from the template


def test_sign_in_page_in_chinese_and_in_english(client):
    page = in_chinese(client, "get", chinese_url("login")).content.decode()
    assert "账户供教师和编辑使用" in page
    english = client.get(reverse("login")).content.decode()
    assert "Accounts are for instructors and curators." in english and "账户" not in english


def test_the_admin_case_list_shows_chinese_names_to_a_chinese_curator(admin_client):
    f.InterventionFactory(status="published", stage=Stage.LOCAL_RATIONALITY)
    page = in_chinese(admin_client, "get", chinese_url("admin:interventions_intervention_changelist")).content.decode()
    # The model's name, its columns and filters, its choices and its bulk actions.
    assert "选择 案例 来修改" in page  # Django's own words around the project's name for the model
    for words in ("标题", "运动过程阶段", "结果", "时间", "地方理性", "发布所选案例", "编辑备注"):
        assert words in page, words
    english = admin_client.get(reverse("admin:interventions_intervention_changelist")).content.decode()
    assert "Select case to change" in english and "案例" not in english


def test_the_admin_change_form_labels_fields_and_fieldsets_in_chinese(admin_client):
    case = f.InterventionFactory(status="draft")
    url = chinese_url("admin:interventions_intervention_change", case.pk)
    page = in_chinese(admin_client, "get", url).content.decode()
    for words in ("时间与地点", "叙述", "按来源讲述的案例经过（Markdown）。", "运动过程与结果", "工作流程记录"):
        assert words in page, words


def test_filter_values_and_exported_data_stay_english_while_labels_translate():
    from cases.scholarship.filters import PositionFilterSet
    from cases.scholarship.models import Outlook, Position
    from cases.scholarship.representation import POSITION

    stance = PositionFilterSet.base_filters["stance"]
    slugs = ["critical", "sceptical", "ambivalent", "hopeful", "optimistic"]
    assert [slug for slug, _label in stance.choice_list] == slugs
    exported = next(field for field in POSITION.listed if field.name == "stance")
    with translation.override(CHINESE):
        assert [str(label) for _slug, label in stance.choice_list][:2] == ["批判", "怀疑"]
        assert exported.read(Position(outlook=Outlook.CRITICAL), None) == "critical"
