"""Static files storage for production: whitenoise's compressed, hashed-name manifest storage, without
rewriting source-map comments. Vendored minified libraries (chart.js …) point at `.map` files we do not ship;
the default storage would fail collectstatic on them, and browsers simply skip a missing source map."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    def keep(pattern) -> bool:
        regex = pattern[0] if isinstance(pattern, tuple) else pattern
        return "sourceMappingURL" not in regex

    return tuple((glob, tuple(p for p in group if keep(p))) for glob, group in patterns)


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
