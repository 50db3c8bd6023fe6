"""Names of the things inventory counts, so callers never spell them by hand."""


def room_resource(room_type_id: int) -> str:
    return f"room:{room_type_id}"


def package_resource(package_id: int) -> str:
    return f"package:{package_id}"


def variant_resource(variant_id: int) -> str:
    return f"variant:{variant_id}"
