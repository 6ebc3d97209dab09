"""The sentences and labels of the command line, keyed by dotted names."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "severity.error": {"vi": "lỗi", "en": "error"},
    "severity.warning": {"vi": "cảnh báo", "en": "warning"},
    "severity.info": {"vi": "thông tin", "en": "info"},
    "col.severity": {"vi": "Mức", "en": "Severity"},
    "col.code": {"vi": "Mã lỗi", "en": "Code"},
    "col.where": {"vi": "Vị trí", "en": "Where"},
    "col.message": {"vi": "Nội dung", "en": "Message"},
    "issues.title": {"vi": "Kết quả kiểm tra dữ liệu", "en": "Validation result"},
    "issues.title_in": {
        "vi": "Kết quả kiểm tra dữ liệu (các tệp trong {folder})",
        "en": "Validation result (files in {folder})",
    },
    "issues.title_file": {
        "vi": "Kết quả kiểm tra dữ liệu: {file}",
        "en": "Validation result: {file}",
    },
    "issues.none": {"vi": "Không phát hiện vấn đề nào.", "en": "No problems found."},
    "files.title": {"vi": "Các tệp đã đọc", "en": "Files read"},
    "files.title_in": {"vi": "Các tệp đã đọc trong {folder}", "en": "Files read in {folder}"},
    "files.col.file": {"vi": "Tệp", "en": "File"},
    "files.col.rows": {"vi": "Nhân sự", "en": "Staff"},
    "files.col.units": {"vi": "Đơn vị", "en": "Units"},
    "files.col.errors": {"vi": "Lỗi", "en": "Errors"},
    "files.col.warnings": {"vi": "Cảnh báo", "en": "Warnings"},
    "files.col.year": {"vi": "Năm", "en": "Year"},
    "files.col.unit": {"vi": "Đơn vị báo cáo", "en": "Reporting unit"},
    "files.caption": {
        "vi": "Nhân sự, Đơn vị: số dòng ở trang NhanSu, DonVi. {mark}: tệp có lỗi, gửi lại đơn vị.",
        "en": "Staff, Units: rows of the NhanSu and DonVi sheets. {mark}: errors, send it back.",
    },
    "files.run_issues": {
        "vi": "Không thuộc dòng nào: {errors} lỗi, {warnings} cảnh báo, {infos} thông tin "
        "của cả lượt đọc.",
        "en": "On no line: {errors} error(s), {warnings} warning(s), {infos} info about the "
        "run as a whole.",
    },
    "issues.summary": {
        "vi": "{errors} lỗi, {warnings} cảnh báo, {infos} thông tin trong {files} tệp.",
        "en": "{errors} error(s), {warnings} warning(s), {infos} info in {files} file(s).",
    },
    "issues.more": {
        "vi": "… và {count} vấn đề cùng loại {code} nữa (xem thêm với --format json).",
        "en": "… and {count} more {code} issue(s) (see more with --format json).",
    },
    "asof.line": {
        "vi": "Ngày số liệu: {as_of} (năm báo cáo {report_year}; theo {source}).",
        "en": "Data as of: {as_of} (report year {report_year}; from {source}).",
    },
    "asof.option": {"vi": "tùy chọn --as-of", "en": "the --as-of option"},
    "asof.sheet": {"vi": "Ngày số liệu trong trang ThongTin", "en": "ThongTin's date"},
    "asof.year": {"vi": "Năm báo cáo trong trang ThongTin", "en": "ThongTin's report year"},
    "asof.today": {"vi": "ngày hôm nay", "en": "today's date"},
    "error.title": {"vi": "Lỗi", "en": "Error"},
    # Exits: a bug, results that could not be written, output files (outputs.py).
    "error.internal": {
        "vi": "Lỗi nội bộ của kpi ({kind} ở {where}): đây là lỗi của chương trình, không phải "
        "của dữ liệu. Xin báo cho nhóm phát triển, gửi kèm toàn bộ thông báo khi chạy lại "
        "đúng lệnh này với --debug (đọc lại trước khi gửi: phần chi tiết có thể trích nội "
        "dung ô).",
        "en": "Internal error in kpi ({kind} at {where}): this is a bug in the program, not "
        "a problem with the data. Please report it to the developers, with the whole output "
        "of the same command run again with --debug (read it before sending: the details "
        "may quote cell contents).",
    },
    "error.stdout": {
        "vi": "Không ghi được kết quả ra đầu ra chuẩn (stdout): {reason}. Kết quả in ra "
        "chưa đầy đủ. Chuyển kết quả vào một tệp ở nơi còn chỗ trống (ví dụ > ket_qua.txt) "
        "rồi chạy lại.",
        "en": "Cannot write the results to standard output (stdout): {reason}. The results "
        "printed are incomplete. Send them to a file where there is room (e.g. > "
        "results.txt) and run again.",
    },
    "output.suffix": {
        "vi": "Không ghi được {path}: tên tệp kết quả phải có đuôi {suffixes}.",
        "en": "Cannot write {path}: the output file name must end with {suffixes}.",
    },
    "output.is_folder": {
        "vi": "Không ghi được {path}: đây là một thư mục. Ghi tên tệp, ví dụ -o bao_cao.xlsx.",
        "en": "Cannot write {path}: it is a folder. Give a file name, e.g. -o report.xlsx.",
    },
    "output.is_input": {
        "vi": "Không ghi đè {path}: đây là tệp đầu vào. Chọn tên tệp kết quả khác.",
        "en": "Will not write over {path}: it is an input file. Choose another output name.",
    },
    "output.no_folder": {
        "vi": "Không ghi được {path}: thư mục {folder} không tồn tại. Tạo thư mục trước "
        "hoặc chọn nơi khác.",
        "en": "Cannot write {path}: the folder {folder} does not exist. Create it first or "
        "choose another place.",
    },
    "output.not_writable": {
        "vi": "Không ghi được vào thư mục {folder} (không có quyền ghi). Chọn nơi khác với -o.",
        "en": "Cannot write in the folder {folder} (no permission). Choose another place with -o.",
    },
    "output.name_too_long": {
        "vi": "Không ghi được {path}: tên tệp dài {length} byte, hệ thống tệp chỉ cho phép "
        "{limit} byte. Chọn tên ngắn hơn với -o.",
        "en": "Cannot write {path}: the file name is {length} bytes long, the file system "
        "allows {limit}. Choose a shorter name with -o.",
    },
    "output.exists": {
        "vi": "Tệp {path} đã có. Dùng --force để ghi đè, hoặc chọn tên khác với -o.",
        "en": "{path} already exists. Use --force to replace it, or choose another name with -o.",
    },
    "output.write": {
        "vi": "Không ghi được {path}: {reason}.",
        "en": "Cannot write {path}: {reason}.",
    },
    "output.write_locked": {
        "vi": "Không ghi được {path}: {reason}. Nếu tệp đang mở trong Excel, hãy đóng lại "
        "rồi chạy lại.",
        "en": "Cannot write {path}: {reason}. If the file is open in Excel, close it and "
        "run again.",
    },
    "output.reason.no_space": {"vi": "ổ đĩa đã đầy", "en": "the disk is full"},
    "output.reason.permission": {"vi": "không có quyền ghi", "en": "permission denied"},
    "output.reason.read_only": {
        "vi": "ổ đĩa chỉ cho đọc",
        "en": "the file system is read-only",
    },
    "output.reason.name_too_long": {
        "vi": "tên hoặc đường dẫn quá dài",
        "en": "the name or path is too long",
    },
    "output.reason.closed": {"vi": "đầu ra đã bị đóng", "en": "the output is closed"},
    "output.reason.io": {"vi": "lỗi đọc ghi của ổ đĩa", "en": "an input/output error"},
    "gate.bad_fail_on": {
        "vi": "--fail-on: `{value}` không phải là trạng thái mà cổng kiểm tra có thể đánh "
        "trượt. Hãy dùng một hoặc nhiều trạng thái trong số: {allowed} (cách nhau bằng dấu "
        "phẩy).",
        "en": "--fail-on: `{value}` is not a status the gate can fail on. Use one or more "
        "of: {allowed} (separated by commas).",
    },
    "gate.never_fails": {
        "vi": "--fail-on: `{value}` không bao giờ làm cổng kiểm tra trượt: chỉ tiêu không "
        "còn áp dụng (như cấp huyện từ 01/07/2025) thì không đạt cũng không phải chưa đạt. "
        "Hãy dùng một hoặc nhiều trạng thái trong số: {allowed} (cách nhau bằng dấu phẩy).",
        "en": "--fail-on: `{value}` never fails the gate: an indicator that no longer "
        "applies (such as the district level since 1 July 2025) is neither met nor not met. "
        "Use one or more of: {allowed} (separated by commas).",
    },
    "gate.reason.off_track": {
        "vi": "{trend_class} (tỷ lệ tiến độ r = {ratio}; dự báo năm {year}: {projection})",
        "en": "{trend_class} (progress ratio r = {ratio}; projected for {year}: {projection})",
    },
    "gate.reason.regressed": {
        "vi": "xa mục tiêu hơn lần trước: {previous} → {value} (xa thêm {farther})",
        "en": "farther from the target than last time: {previous} → {value} ({farther} farther)",
    },
    "gate.reason.undone": {
        "vi": "lùi lại so với lần trước: {previous} → {value}",
        "en": "went back since last time: {previous} → {value}",
    },
    "gate.not_judged_count": {
        "vi": "{condition}: {count} chỉ tiêu chưa xét được — {reason}",
        "en": "{condition}: {count} indicators not judged — {reason}",
    },
    "gate.not_judged.one_year": {
        "vi": "chưa đánh giá được xu hướng: chỉ có một năm báo cáo; hãy thêm bảng tính các "
        "năm trước với --history.",
        "en": "the trend cannot be judged: there is one report year only; add the workbooks "
        "of earlier years with --history.",
    },
    "gate.not_judged.insufficient_data": {
        "vi": "chưa đánh giá được xu hướng: cần giá trị của ít nhất hai năm báo cáo.",
        "en": "the trend cannot be judged: it needs a value in at least two report years.",
    },
    "gate.not_judged.no_baseline": {
        "vi": "chưa so sánh được với lần trước: hãy cho kết quả lần trước với --baseline "
        "(kpi compute --format json).",
        "en": "no comparison with last time: give the previous result with --baseline "
        "(kpi compute --format json).",
    },
    "gate.not_judged.no_previous_value": {
        "vi": "chưa so sánh được với lần trước: lần trước hoặc lần này chỉ tiêu không có giá trị.",
        "en": "no comparison with last time: the indicator has no value in one of the two.",
    },
    "gate.bad_tolerance": {
        "vi": "--tolerance: {value} không dùng được; hãy cho một số không âm, tính theo đơn "
        "vị của chỉ tiêu (ví dụ 0,5 nghĩa là nửa điểm phần trăm).",
        "en": "--tolerance: {value} cannot be used; give a number of 0 or more, in the "
        "indicator's unit (0.5 is half a percentage point, say).",
    },
    "gate.empty_fail_on": {
        "vi": "--fail-on không nêu trạng thái nào. Hãy dùng một hoặc nhiều trạng thái trong "
        "số: {allowed} (cách nhau bằng dấu phẩy).",
        "en": "--fail-on names no status. Use one or more of: {allowed} (separated by commas).",
    },
    "gate.passed": {
        "vi": "Cổng kiểm tra: ĐẠT (không chỉ tiêu nào ở trạng thái {fail_on}).",
        "en": "Gate: PASSED (no indicator is {fail_on}).",
    },
    "gate.failed": {
        "vi": "Cổng kiểm tra: KHÔNG ĐẠT. {count} chỉ tiêu ở trạng thái {fail_on}: {ids}.",
        "en": "Gate: FAILED. {count} indicator(s) {fail_on}: {ids}.",
    },
    "error.input": {
        "vi": "Dữ liệu đầu vào có {errors} lỗi. Sửa các ô được nêu rồi chạy lại, "
        "hoặc dùng --skip-invalid để bỏ qua các dòng lỗi.",
        "en": "The input has {errors} error(s). Fix the cells listed and run again, "
        "or use --skip-invalid to leave the bad rows out.",
    },
    "error.input_not_in_rows": {
        "vi": "Dữ liệu đầu vào có {errors} lỗi, trong đó có lỗi không nằm ở một dòng (một tệp, "
        "một trang hay một cột không đọc được, các tệp không gộp được) nên không thể bỏ qua "
        "bằng --skip-invalid. Sửa các lỗi được nêu rồi chạy lại.",
        "en": "The input has {errors} error(s), some of them not in a row (a file, a sheet or "
        "a column that cannot be read, files that cannot be combined), which --skip-invalid "
        "cannot leave out. Fix the errors listed and run again.",
    },
    # Reading --targets and --baseline (safe_files.py, catalog.py, baseline.py).
    "input.line": {"vi": "dòng {line}: ", "en": "line {line}: "},
    "input.too_big": {
        "vi": "tệp lớn hơn giới hạn {limit} nên không được đọc (có thể nhầm tệp, hoặc là "
        "tệp độc hại). Nếu đúng là tệp cần dùng, đặt biến môi trường {setting} lớn hơn, "
        "ví dụ {setting}={suggest}.",
        "en": "the file is larger than the limit of {limit}, so it is not read (it may be "
        "the wrong file, or a malicious one). If it is the right file, raise the "
        "environment variable {setting}, e.g. {setting}={suggest}.",
    },
    "input.not_utf8": {
        "vi": "tệp không phải văn bản UTF-8 (lỗi ở byte thứ {position}). "
        "Lưu lại tệp với bảng mã UTF-8.",
        "en": "the file is not UTF-8 text (at byte {position}). Save it again as UTF-8.",
    },
    "input.too_many_parts": {
        "vi": "có tên khóa gồm hơn {limit} phần nối bằng dấu chấm (a.b.c…), quá giới hạn "
        "{setting}; tệp có thể là tệp độc hại. Viết khóa ngắn hơn, hoặc đặt biến môi "
        "trường {setting} lớn hơn nếu tệp là thật.",
        "en": "a dotted key has more than {limit} parts (a.b.c…), past the limit {setting}; "
        "the file may be malicious. Write a shorter key, or raise the environment "
        "variable {setting} if the file is genuine.",
    },
    "input.too_deep": {
        "vi": "các mảng [ ] hoặc bảng {{ }} lồng nhau quá {limit} cấp, quá giới hạn "
        "{setting}; tệp có thể là tệp độc hại. Bớt lồng nhau, hoặc đặt biến môi trường "
        "{setting} lớn hơn nếu tệp là thật.",
        "en": "arrays [ ] or tables {{ }} are nested more than {limit} levels deep, past the "
        "limit {setting}; the file may be malicious. Nest less, or raise the environment "
        "variable {setting} if the file is genuine.",
    },
    "input.json_too_deep": {
        "vi": "các mảng hoặc đối tượng lồng nhau quá sâu, không đọc được.",
        "en": "arrays or objects are nested too deeply to be read.",
    },
    "input.number_too_long": {
        "vi": "số {value} dài hơn {limit} ký tự; không số nào ở đây cần dài như vậy. "
        "Sửa lại số này.",
        "en": "the number {value} is longer than {limit} characters; no number here needs "
        "to be. Correct it.",
    },
    "input.not_finite": {
        "vi": "{value} không phải là một số hữu hạn (không dùng được vô cực hay NaN). "
        "Ghi một số cụ thể.",
        "en": "{value} is not a finite number (infinity and NaN cannot be used). "
        "Write an actual number.",
    },
    "input.too_many_indicators": {
        "vi": "tệp có {count} chỉ tiêu, nhiều hơn giới hạn {limit} ({setting}). Nếu đúng là "
        "tệp cần dùng, đặt biến môi trường {setting} lớn hơn.",
        "en": "the file has {count} indicators, more than the limit of {limit} ({setting}). "
        "If it is the right file, raise the environment variable {setting}.",
    },
    "input.too_many_values": {
        "vi": "tệp có hơn {limit} khóa và giá trị ({setting}); danh mục của kế hoạch chỉ cần "
        "vài trăm. Nếu đúng là tệp cần dùng, đặt biến môi trường {setting} lớn hơn.",
        "en": "the file holds more than {limit} keys and values ({setting}); the plan's "
        "catalog needs a few hundred. If it is the right file, raise the environment "
        "variable {setting}.",
    },
    "input.more_errors": {
        "vi": "… và {count} lỗi khác (chỉ hiện {shown} lỗi đầu).",
        "en": "… and {count} more error(s) (only the first {shown} are shown).",
    },
    "baseline.invalid": {
        "vi": "Không dùng được tệp --baseline {path}:",
        "en": "The --baseline file {path} cannot be used:",
    },
    "baseline.not_json": {
        "vi": "tệp không phải JSON ({detail}). Dùng tệp do kpi compute --format json ghi ra.",
        "en": "the file is not JSON ({detail}). Use a file written by kpi compute --format json.",
    },
    "baseline.not_json_at": {
        "vi": "tệp không phải JSON: hỏng ở dòng {line}, cột {column}. Dùng tệp do kpi compute "
        "--format json ghi ra.",
        "en": "the file is not JSON: it breaks at line {line}, column {column}. Use a file "
        "written by kpi compute --format json.",
    },
    "baseline.not_result": {
        "vi": "tệp không phải kết quả của kpi compute --format json:",
        "en": "the file is not a result of kpi compute --format json:",
    },
}
