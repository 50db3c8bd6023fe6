"""SQL for the trigger that refuses changes to a booking's frozen columns (both vendors).

Used by migrations, each with the column list of its time: a migration must not read the
current model, or an old migration would change meaning when FROZEN_FIELDS grows.
"""

MESSAGE = "booking_frozen: the price and rules of a booking never change"


def _changed(vendor: str, columns: list[str]) -> str:
    op = "IS NOT" if vendor == "sqlite" else "IS DISTINCT FROM"
    return " OR ".join(f'NEW."{c}" {op} OLD."{c}"' for c in columns)


def create_trigger(schema_editor, columns: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER bookings_booking_frozen BEFORE UPDATE ON bookings_booking "
            f"FOR EACH ROW WHEN {_changed(vendor, columns)} BEGIN "
            f"SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION bookings_booking_frozen() RETURNS trigger AS $$ BEGIN "
            f"IF {_changed(vendor, columns)} THEN "
            f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23514'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            "CREATE TRIGGER bookings_booking_frozen BEFORE UPDATE ON bookings_booking "
            "FOR EACH ROW EXECUTE FUNCTION bookings_booking_frozen();"
        )


def drop_trigger(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS bookings_booking_frozen ON bookings_booking")
        schema_editor.execute("DROP FUNCTION IF EXISTS bookings_booking_frozen()")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS bookings_booking_frozen")
