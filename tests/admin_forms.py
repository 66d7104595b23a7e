"""Form data the admin's commitment page needs besides its fields: the two lineage inlines, empty."""


def empty_inline(prefix: str) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


COMMITMENT_INLINES = {**empty_inline("relations_out"), **empty_inline("relations_in")}
