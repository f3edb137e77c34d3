# Settings a team edits: Ptah's own (c.Ptah.*), beside JupyterLab's and Voila's.
#
# Ptah finds this file through PTAH_CONFIG, then jupyter_config.py in the
# current folder, then Jupyter's config path (`jupyter --paths`). JupyterLab
# and Voila read it as their base config too, so one file serves all three.
# Every c.Ptah line below shows the default; uncomment a line to change it.

c = get_config()  # noqa: F821 -- provided by traitlets when Jupyter loads this file

# Where the workspace lives: a folder with ptah.db (SQLite) and blobs/.
# A relative path is taken from this file's folder. PTAH_HOME wins over it.
# c.Ptah.workspace = "~/.local/share/ptah"

# Point the same code at PostgreSQL for a team (blobs stay in the folder).
# c.Ptah.database_url = "postgresql+psycopg://ptah@db.internal/ptah"

# Who is recorded as the author of new rows (default: the login name).
# c.Ptah.user = "dana"

# Reader limits: a file past one is refused with a sentence naming the limit.
# c.Ptah.max_file_bytes = 100 * 1024 * 1024   # bytes of one file
# c.Ptah.max_pages = 2000                     # pages of one PDF
# c.Ptah.max_unzipped_bytes = 500 * 1024 * 1024  # inflated size of a DOCX/XLSX
# c.Ptah.max_zip_ratio = 200                  # inflated / compressed, per part
# c.Ptah.max_rows = 100_000                   # rows of one sheet
# c.Ptah.max_cells = 5_000_000                # cells of one workbook
# c.Ptah.max_seconds = 120                    # time to read one file

# The Claude model conversations use.
# c.Ptah.model = "claude-sonnet-4-5"
