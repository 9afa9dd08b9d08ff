#include <catch2/catch.hpp>

#include <string>

#include "analyzer/parse/notebook.h"
#include "analyzer/parse/python_facts.h"

using namespace mlm;

namespace {
std::string nb(const std::string& cells) {
  return "{\"cells\": [" + cells + "], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
}
}  // namespace

TEST_CASE("notebook: source as a list or a string; markdown counted", "[notebook]") {
  Notebook n;
  std::string err;
  REQUIRE(parse_notebook(nb(R"J({"cell_type": "markdown", "metadata": {}, "source": ["# Title"]},
     {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
      "source": ["import pandas as pd\n", "df = pd.read_csv('a.csv')"]},
     {"cell_type": "code", "metadata": {}, "outputs": [], "source": "x = 1\ny = 2\n"})J"),
                         n, err));
  CHECK(n.markdown_cells == 1);
  REQUIRE(n.code_cells.size() == 2);
  CHECK(n.code_cells[0].index == 2);
  CHECK(n.code_cells[0].first_line == 1);
  CHECK(n.code_cells[0].line_count == 2);
  CHECK(n.code_cells[1].index == 3);
  CHECK(n.code_cells[1].first_line == 3);
  CHECK(n.joined == "import pandas as pd\ndf = pd.read_csv('a.csv')\nx = 1\ny = 2\n");
  int cell = 0, line = 0;
  REQUIRE(n.locate(4, cell, line));
  CHECK(cell == 3);
  CHECK(line == 2);
  CHECK_FALSE(n.locate(9, cell, line));
}

TEST_CASE("notebook: magics become same-length comments; shell commands collected", "[notebook]") {
  Notebook n;
  std::string err;
  REQUIRE(parse_notebook(nb(R"J({"cell_type": "code", "metadata": {}, "outputs": [],
      "source": ["!pip install mlflow\n", "%matplotlib inline\n", "import mlflow\n", "files = !ls data\n",
                 "mlflow.log_metric?\n", "x = a % b\n", "if x != 1: pass\n"]},
     {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%%bash\n", "wget http://x/data.csv\n"]},
     {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%%time\n", "import torch\n"]})J"),
                         n, err));
  REQUIRE(n.code_cells.size() == 3);
  CHECK(n.code_cells[0].has_magic);
  CHECK(n.joined.find("#pip install mlflow\n#matplotlib inline\nimport mlflow\n#iles = #ls data\n") == 0);
  CHECK(n.joined.find("#lflow.log_metric?\n") != std::string::npos);
  CHECK(n.joined.find("x = a % b\n") != std::string::npos);
  CHECK(n.joined.find("#%bash\n#get http://x/data.csv\n") != std::string::npos);
  CHECK(n.joined.find("#%time\nimport torch\n") != std::string::npos);
  REQUIRE(n.shell_commands.size() == 3);
  CHECK(n.shell_commands[0] == "pip install mlflow");
  CHECK(n.shell_commands[1] == "ls data");
  CHECK(n.shell_commands[2] == "wget http://x/data.csv");
  size_t raw = 0;
  for (const auto& c : n.code_cells) raw += c.source.size() + (c.source.back() == '\n' ? 0 : 1);
  CHECK(n.joined.size() == raw);  // offsets unchanged

  const auto facts = extract_python_facts(n.joined);
  CHECK_FALSE(facts.has_error);
  CHECK(facts.imports.size() == 2);
}

TEST_CASE("notebook: truncated or wrong-shape JSON is an error", "[notebook]") {
  Notebook n;
  std::string err;
  const std::string full = nb(R"J({"cell_type": "code", "metadata": {}, "outputs": [], "source": ["import os\n"]})J");
  CHECK_FALSE(parse_notebook(full.substr(0, full.size() / 2), n, err));
  CHECK(err.find("not a readable notebook") != std::string::npos);
  err.clear();
  CHECK_FALSE(parse_notebook("[1, 2, 3]", n, err));
  CHECK_FALSE(err.empty());
  err.clear();
  CHECK_FALSE(parse_notebook(R"J({"nbformat": 3, "worksheets": []})J", n, err));
  CHECK(err.find("nbformat 3") != std::string::npos);
  err.clear();
  CHECK_FALSE(parse_notebook(R"J({"metadata": {}})J", n, err));
  CHECK(err.find("no cells") != std::string::npos);
}

TEST_CASE("notebook: large embedded outputs are skipped, not parsed", "[notebook]") {
  const std::string image(8u << 20, 'A');
  const std::string cells = R"J({"cell_type": "code", "metadata": {}, "outputs": [{"output_type": "display_data",
      "data": {"image/png": ")J" + image + R"J(", "text/plain": ["<Figure>"]}, "metadata": {}}],
      "source": ["import matplotlib\n"]})J";
  Notebook n;
  std::string err;
  REQUIRE(parse_notebook(nb(cells), n, err));
  CHECK(n.output_bytes > static_cast<int>(image.size()));
  CHECK(n.joined == "import matplotlib\n");
}

TEST_CASE("notebook: magic and shell lines keep their place in the joined code", "[notebook]") {
  Notebook n;
  std::string error;
  REQUIRE(parse_notebook(R"J({"cells": [
    {"cell_type": "code", "source": ["import os\n", "!wget https://example.org/x.csv\n"]},
    {"cell_type": "markdown", "source": ["# notes"]},
    {"cell_type": "code", "source": ["%run ./prep.ipynb\n", "x = 1\n"]},
    {"cell_type": "code", "source": ["%%bash\n", "kaggle datasets download -d a/b\n"]},
    {"cell_type": "code", "source": ["%%html\n", "<b>not shell</b>\n"]}],
    "nbformat": 4, "nbformat_minor": 5})J",
                         n, error));
  REQUIRE(n.magics.size() == 3);
  CHECK(n.magics[0].text == "wget https://example.org/x.csv");
  CHECK(n.magics[0].shell);
  CHECK(n.magics[0].line == 2);
  CHECK(n.magics[1].text == "run ./prep.ipynb");
  CHECK_FALSE(n.magics[1].shell);
  CHECK(n.magics[1].line == 3);
  int cell = 0, cell_line = 0;
  REQUIRE(n.locate(n.magics[2].line, cell, cell_line));
  CHECK(n.magics[2].text == "kaggle datasets download -d a/b");
  CHECK(n.magics[2].shell);
  CHECK(cell == 4);
  CHECK(cell_line == 2);
}

TEST_CASE("notebook: read in place when the text has spare capacity, copied when not", "[notebook]") {
  // RepoSource::read leaves simdjson's padding after the text, and parse_notebook reads such a
  // string in place; a string without it (a test's literal, a copy) is copied first. Both give
  // the same notebook, and a truncated one fails the same way: the parser stops at the text's
  // length, whatever the spare bytes hold.
  const std::string text = nb(R"J({"cell_type": "code", "metadata": {}, "outputs": [], "source": ["import os\n", "x = 1"]})J");
  std::string padded;
  padded.reserve(text.size() + 64);
  padded = text;
  REQUIRE(padded.capacity() - padded.size() >= 64);
  std::string tight(text);
  tight.shrink_to_fit();
  Notebook a, b;
  std::string err;
  REQUIRE(parse_notebook(padded, a, err));
  REQUIRE(parse_notebook(tight, b, err));
  CHECK(a.joined == "import os\nx = 1\n");
  CHECK(a.joined == b.joined);
  REQUIRE(a.code_cells.size() == 1);
  CHECK(b.code_cells.size() == 1);

  // The spare bytes after a truncated text hold the rest of a valid notebook: still an error.
  std::string truncated;
  truncated.reserve(text.size() + 64);
  truncated = text;
  truncated.resize(text.size() - 1);  // the closing brace is gone, its byte still allocated
  Notebook c;
  CHECK_FALSE(parse_notebook(truncated, c, err));
}
