"""The codebook of a release, in Markdown and HTML, generated from its datapackage.json (itself generated from the
kinds' representations and the models' fields and help texts), so the three never disagree."""

from django.template.loader import render_to_string


def _values(field):
    categories = field.get("categories")
    if not categories:
        return ""
    return "; ".join(f"`{c['value']}` ({c['label']})" for c in categories)


def _constraints(field):
    constraints = field.get("constraints", {})
    said = []
    if constraints.get("required"):
        said.append("required")
    if "maxLength" in constraints:
        said.append(f"at most {constraints['maxLength']} characters")
    if "pattern" in constraints:
        said.append(f"matches `{constraints['pattern']}`")
    if field.get("format") == "uri":
        said.append("an address (URI)")
    return ", ".join(said)


def tables(package, counts):
    """What both forms show, table by table."""
    found = []
    for resource in package["resources"]:
        schema = resource["schema"]
        found.append(
            {
                "name": resource["name"],
                "title": resource["title"],
                "description": resource["description"],
                "path": resource["path"],
                "rows": counts.get(resource["name"], 0),
                "primary_key": schema["primaryKey"],
                "foreign_keys": [
                    (fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
                    for fk in schema.get("foreignKeys", [])
                ],
                "fields": [
                    {
                        "name": field["name"],
                        "type": field["type"],
                        "description": field["description"],
                        "constraints": _constraints(field),
                        "values": _values(field),
                        "categories": field.get("categories", []),
                    }
                    for field in schema["fields"]
                ],
            }
        )
    return found


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(package, counts):
    lines = [
        f"# Codebook: {package['title']}, release v{package['version']}",
        "",
        package["description"],
        "",
        "Files are CSV (UTF-8, comma-separated, header row). An empty cell is a value the archive does not have "
        '(null). Several values in one cell are joined with "; ". `true`/`false` are yes/no.',
    ]
    for table in tables(package, counts):
        lines += ["", f"## {table['title']} (`{table['path']}`)", "", table["description"], ""]
        lines.append(f"Rows: {table['rows']}. Primary key: {', '.join(table['primary_key'])}.")
        for column, target, key in table["foreign_keys"]:
            lines.append(f"`{column}` refers to `{key}` in `{target}`.")
        lines += ["", "| column | type | description | constraints | values |", "|---|---|---|---|---|"]
        for field in table["fields"]:
            cells = [f"`{field['name']}`", field["type"], field["description"], field["constraints"], field["values"]]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def html(package, counts):
    return render_to_string("keeping/codebook.html", {"package": package, "tables": tables(package, counts)})
