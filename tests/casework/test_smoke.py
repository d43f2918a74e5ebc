from casework.models import LifeDomain, Prison


def test_reference_data_is_loaded_by_migration(db):
    assert Prison.objects.count() == 24
    assert set(LifeDomain.objects.filter(required=True).values_list("code", flat=True)) == {
        "psychosocial",
        "education_employment",
        "mental_health",
        "social_context",
        "alternative_discourse",
    }
