from django.core.management import load_command_class


def test_preview_digest_out_option_has_help():
    parser = load_command_class("scorecards", "preview_digest").create_parser("manage.py", "preview_digest")
    out = next(action for action in parser._actions if "--out" in action.option_strings)
    assert out.help and "Directory" in out.help
