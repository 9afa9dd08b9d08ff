#include "analyzer/batch/worker.h"

#include <cerrno>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "analyzer/batch/repository_pages.h"
#include "analyzer/batch/worker_pool.h"
#include "analyzer/report/reports.h"

namespace fs = std::filesystem;

namespace mlm::batch {

namespace {

void send(int fd, const std::string& kind, const std::string& text) {
  std::string line = kind;
  line += ' ';
  for (char c : text) line += (c == '\n' || c == '\r') ? ' ' : c;
  line += '\n';
  write_all(fd, line.data(), line.size());
}

// A bare repository has no working tree to read: its HEAD is what there is to scan.
bool looks_bare(const std::string& path) {
  std::error_code ec;
  const fs::path p(path);
  return fs::is_regular_file(fs::symlink_status(p / "HEAD", ec)) &&
         fs::is_directory(fs::symlink_status(p / "objects", ec)) &&
         fs::is_directory(fs::symlink_status(p / "refs", ec)) && !fs::exists(fs::symlink_status(p / ".git", ec));
}

// A clearer reason than "cannot open" for the usual listing mistakes. Only the entry itself is
// looked at (lstat), never anything it points to beyond the symlink check.
std::string path_problem(const std::string& path) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  if (st.type() == fs::file_type::not_found) return path + ": no such file or folder";
  if (ec) return path + ": cannot be examined: " + ec.message();
  if (st.type() == fs::file_type::symlink) {
    std::error_code tec;
    const fs::file_status target = fs::status(path, tec);  // ELOOP tells a loop apart
    (void)target;
    if (tec.value() == ELOOP) return path + ": a symlink loop; not followed";
    return path + ": a symlink; not followed (list the folder it points to instead)";
  }
  if (st.type() != fs::file_type::directory) return path + ": not a folder (a repository is a folder)";
  return "";
}

}  // namespace

void scan_worker(const Engine& engine, const ScanOptions& options, const CloneSettings& clone,
                 const BatchEntry& listed, const std::string* unchanged_rev, int out_fd, const std::string& html_dir) {
  try {
    BatchEntry entry = listed;
    if (!entry.url.empty()) {
      std::string error;
      if (!ensure_clone(CloneRequest{entry.url, entry.rev, clone.dir, clone.timeout_seconds}, entry.path, error)) {
        send(out_fd, "error", entry.input + ": " + error);
        return;
      }
    }
    if (std::string problem = path_problem(entry.path); !problem.empty()) {
      send(out_fd, "error", problem);
      return;
    }
    std::string rev = entry.rev;
    if (rev.empty() && looks_bare(entry.path)) rev = "HEAD";
    std::string error;
    auto source = open_repo_source(entry.path, rev, options.limits, error);
    if (!source) {
      send(out_fd, "error", error);
      return;
    }
    send(out_fd, "rev", source->info().revision);
    if (unchanged_rev && *unchanged_rev == source->info().revision) {
      send(out_fd, "skip", "");
      return;
    }
    std::string json;
    {
      ScanResult result;
      run_scan_on(engine, *source, options, result);
      std::ostringstream out;
      write_json_report(out, ReportContext{engine, result}, /*pretty=*/false);
      json = out.str();
      std::string page_error;
      if (!html_dir.empty() && !write_repository_page(html_dir, entry.input, engine, result, page_error)) {
        std::cerr << "mlmaturity batch: " << page_error << "\n";
      }
    }
    source.reset();
    send(out_fd, "report", json);
  } catch (const std::bad_alloc&) {
    throw;  // the pool turns it into an out-of-memory exit status
  } catch (const std::exception& e) {
    send(out_fd, "error", std::string("the scan failed: ") + e.what());
  }
}

WorkerMessage parse_worker_output(const std::string& output) {
  WorkerMessage m;
  size_t pos = 0;
  while (pos < output.size()) {
    size_t end = output.find('\n', pos);
    if (end == std::string::npos) break;  // a line cut short by a kill is not a message
    const std::string line = output.substr(pos, end - pos);
    pos = end + 1;
    const size_t sp = line.find(' ');
    const std::string kind = line.substr(0, sp);
    std::string text = sp == std::string::npos ? "" : line.substr(sp + 1);
    if (kind == "rev") {
      m.has_rev = true;
      m.rev = std::move(text);
    } else if (kind == "skip") {
      m.kind = WorkerMessage::Kind::skip;
    } else if (kind == "report") {
      m.kind = WorkerMessage::Kind::report;
      m.text = std::move(text);
    } else if (kind == "error") {
      m.kind = WorkerMessage::Kind::error;
      m.text = std::move(text);
    }
  }
  return m;
}

}  // namespace mlm::batch
