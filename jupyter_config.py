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
# c.Ptah.max_reader_memory = 2 * 1024**3      # memory of one reader process
# c.Ptah.max_characters = 20_000_000          # text of one document
# Reader processes side by side: a PDF's pages, or a long Word body, are
# shared out between them, and they find requirements while the kernel
# stores the blocks. 1 for one.
# c.Ptah.reader_processes = 2

# The Claude model conversations use.
# c.Ptah.model = "claude-sonnet-5-5"

# Prices in USD per million tokens, by model id, for the cost shown after each
# answer. These are the published list prices as of late 2026: check them
# against Anthropic's pricing page before quoting a client. A model missing
# here shows its tokens with the cost unknown. "cache_write_1h" is optional.
# Haiku 5.5 bills in two bands by prompt size, which this table cannot say.
c.Ptah.prices = {
    "claude-sonnet-5-5": {
        "input": 2.00,
        "output": 10.00,
        "cache_write": 2.50,
        "cache_read": 0.20,
        "cache_write_1h": 4.00,
    },
    "claude-opus-5-5": {
        "input": 4.00,
        "output": 20.00,
        "cache_write": 5.00,
        "cache_read": 0.20,
        "cache_write_1h": 8.00,
    },
}

# Voila, for stakeholders (`ptah dashboard` starts it with this file).
# Pages show outputs only: no code, no tracebacks, and nothing fetched from
# another host (the ptah-voila template drops the lab template's CDN links).
c.VoilaConfiguration.template = "ptah-voila"
c.VoilaConfiguration.strip_sources = True
c.VoilaConfiguration.show_tracebacks = False
c.VoilaConfiguration.allow_template_override = "NO"
c.VoilaConfiguration.allow_theme_override = "NO"
# A kernel per notebook waits, libraries loaded, for the next visitor: the
# dashboards call voila.utils.wait_for_request() before reading the page's
# ?project=CODE, so the visitor waits only for the project's own figures.
c.VoilaConfiguration.preheat_kernel = True
c.VoilaConfiguration.default_pool_size = 1
# Only the dashboards get a kernel ahead of the visit: preheating runs a
# notebook before anyone asks, which a starter notebook must never do.
c.VoilaKernelManager.preheat_denylist = [r"^(?!.*/(dashboard|portfolio)\.ipynb$)"]
