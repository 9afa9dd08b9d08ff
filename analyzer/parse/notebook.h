// Jupyter notebooks read with simdjson: the code cells, with IPython magics and shell escapes
// neutralised (turned into comments of the same length) so the Python grammar parses them.
#pragma once
#include <string>
#include <vector>

namespace mlm {

struct NotebookCell {
  int index = 0;           // 1-based position among all cells
  std::string source;      // as in the notebook
  int first_line = 0;      // 1-based line of this cell inside `joined`
  int line_count = 0;
  bool has_magic = false;  // % / %% / ! lines
};

// A neutralised magic or shell line: `!wget ...` (shell), `%run prep.ipynb` (line magic) or a
// line of a %%bash cell, with where it sits in `joined`.
struct NotebookMagic {
  std::string text;  // without the leading `!` or `%`
  int line = 0;      // 1-based line of `joined`
  bool shell = false;
};

struct Notebook {
  std::vector<NotebookCell> code_cells;
  int markdown_cells = 0;
  int output_bytes = 0;       // rough size of outputs (skipped, never parsed)
  std::string joined;         // all code cells, magics neutralised, one after another
  std::vector<std::string> shell_commands;  // `!pip install ...` lines, for data/dependency signals
  std::vector<NotebookMagic> magics;        // shell and line-magic lines (bounded), in order
  // Maps a 1-based line of `joined` to (cell index, 1-based line in the cell).
  bool locate(int joined_line, int& cell, int& cell_line) const;
};

// Returns false and sets error for JSON that is not a notebook (truncated, wrong shape).
bool parse_notebook(const std::string& json, Notebook& out, std::string& error);

}  // namespace mlm
