"""The command line speaks the language chosen by --lang, else the config file's lang, else the
locale; enum values in JSON stay English."""

from __future__ import annotations

from tests.cli.test_commands import assert_one_clear_line


def _with_a_due_customer(cli) -> None:
    assert cli("add", "张三", "--company", "重庆华信", "--need", "clear", "--close", "+10d").code == 0


def test_lang_zh_prints_chinese_headings_and_domain_words(cli):
    _with_a_due_customer(cli)
    result = cli("--lang", "zh", "due")
    assert result.code == 0, result.err
    assert "的待办" in result.out and "到期的追踪 (1)" in result.out
    assert "首次联系" in result.out and "张三" in result.out
    shown = cli("--lang", "zh", "show", "张三")
    assert "明显需求" in shown.out and "客户阶段  准客户 · 潜在" in shown.out
    assert "价值类别  无收入" in shown.out
    assert "Next due" not in shown.out and "下次追踪" in shown.out
    english = cli("due")
    assert "Follow-ups due (1)" in english.out and "first contact" in english.out


def test_json_keeps_english_values_and_translates_only_the_text(cli):
    _with_a_due_customer(cli)
    [item] = cli("--lang", "zh", "due", "--json").json()
    assert item["kind"] == "follow_up" and item["grade"] == "A"
    assert item["detail"] == "首次联系"
    profile = cli("--lang", "zh", "show", "张三", "--json").json()
    assert profile["need"] == "clear" and profile["status"] == "potential"
    assert profile["tier"] == "none" and profile["cadence"] == "daily"


def test_an_error_is_one_line_in_chinese(cli):
    _with_a_due_customer(cli)
    result = cli("--lang", "zh", "show", "李四")
    assert result.code == 1
    assert_one_clear_line(result)
    assert result.err == "crmtui: 没有客户匹配 '李四'\n"
    bad_date = cli("--lang", "zh", "log", "张三", "--summary", "x", "--next", "2026-02-30")
    assert bad_date.code == 1
    assert "不是日期（2026 年二月只有 28 天）" in bad_date.err


def test_the_locale_chooses_chinese_and_lc_all_wins(cli):
    _with_a_due_customer(cli)
    cli.env["LANG"] = "zh_CN.UTF-8"
    assert "到期的追踪" in cli("due").out
    assert "Follow-ups due" in cli("--lang", "en", "due").out
    cli.env["LC_ALL"] = "en_US.UTF-8"
    assert "Follow-ups due" in cli("due").out


def test_the_config_file_chooses_the_language_and_the_flag_beats_it(cli, tmp_path):
    _with_a_due_customer(cli)
    config = tmp_path / "config.toml"
    config.write_text('lang = "zh"\n', encoding="utf-8")
    assert "到期的追踪" in cli("due").out
    assert "Follow-ups due" in cli("--lang", "en", "due").out
    cli.env["LANG"] = "zh_CN.UTF-8"
    config.write_text('lang = "en"\n', encoding="utf-8")
    assert "Follow-ups due" in cli("due").out  # config beats the locale


def test_help_and_usage_errors_in_chinese(cli):
    help_text = cli("--lang", "zh", "--help", db=False)
    assert help_text.code == 0
    assert help_text.out.startswith("用法：crmtui")
    assert "键盘操作的终端客户管理系统" in help_text.out and "今天的待办清单" in help_text.out
    assert "显示此帮助并退出" in help_text.out
    usage = cli("--lang", "zh", "log", db=False)
    assert usage.code == 2
    assert "crmtui: 错误：缺少以下参数：customer, --summary" in usage.err
    bad_choice = cli("--lang", "zh", "add", "x", "--need", "some", db=False)
    assert "无效的选项：'some'" in bad_choice.err


def test_the_brief_line_reads_in_chinese(cli):
    _with_a_due_customer(cli)
    assert cli("--lang", "zh", "due", "--brief").out == "1 项待办\n"
    assert cli("due", "--brief").out == "1 due\n"
