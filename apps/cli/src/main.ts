import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { DEMO_LOGINS, DEMO_SEED, ensureDemoUsers } from '@cds/server/demo/demo-data.ts';
import { DATA_FILES_DIR, HCMC_PROVINCE_CODE, ensureUnits } from '@cds/server/demo/reference-data.ts';
import { BUNDLED_COURSES_DIR, loadCourseFiles } from '@cds/server/modules/learning/course-files.ts';
import { loadUnits } from '@cds/server/modules/units/load-units.ts';
import { ContentFileError } from '@cds/server/platform/content-file.ts';
import { openCliDatabase, type DatabaseFlags } from './database.ts';
import { exportResidentsCommand } from './export.command.ts';
import { importRollbackCommand, type ImportRollbackFlags } from './import-rollback.command.ts';
import { importCommand, importTemplateCommand } from './import.command.ts';
import { rebuildIndicatorsCommand, verifyIndicatorsCommand } from './indicators.command.ts';
import { seedCommand } from './seed.command.ts';

const positiveInt = (value: string) => {
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('phải là số nguyên không âm');
  return n;
};

const program = new Command('cds')
  .description('Công dân số: công cụ dòng lệnh (seed, units, users)')
  .option('--data-dir <dir>', 'thư mục dữ liệu PGlite (env DATA_DIR, mặc định ./data)')
  .option('--database-url <url>', 'PostgreSQL thay cho PGlite (env DATABASE_URL)');

const flags = (): DatabaseFlags => program.opts<DatabaseFlags>();

program
  .command('seed')
  .description('Tạo dân cư tổng hợp tái lập được (synthetic population), chạy theo luồng với bộ nhớ giới hạn')
  .option('--people <n>', 'số nhân khẩu', positiveInt, 30_000)
  .option('--seed <n>', 'hạt giống ngẫu nhiên', positiveInt, DEMO_SEED)
  .option('--units <codes>', 'mã đơn vị, cách nhau bởi dấu phẩy (mặc định: mọi đơn vị của tỉnh)')
  .option('--province <code>', 'mã tỉnh/thành phố', HCMC_PROVINCE_CODE)
  .option('--batch <n>', 'số nhân khẩu mỗi giao dịch (mặc định 10000; 2000 khi đi qua máy chủ PGlite đang chạy)', positiveInt)
  .option('--dry-run', 'chỉ sinh dữ liệu, không ghi')
  .action(async (options) => seedCommand(flags(), options));

program
  .command('demo-users')
  .description('Tạo (hoặc đặt lại) và in các tài khoản dùng thử')
  .option('--json', 'in dạng JSON: [{"username","password","role","units"}]')
  .action(async (options: { json?: boolean }) => {
    const { handle } = await openCliDatabase(flags());
    try {
      await ensureUnits(handle.db);
      await ensureDemoUsers(handle.db);
    } finally {
      await handle.close();
    }
    if (options.json) {
      console.log(JSON.stringify(DEMO_LOGINS.map(({ username, password, role, units }) => ({ username, password, role, units })), null, 2));
    } else {
      for (const login of DEMO_LOGINS) console.log(`${login.role.padEnd(14)} ${login.username.padEnd(10)} ${login.password.padEnd(20)} ${login.units.join(',')}`);
    }
  });

program
  .command('courses')
  .description('Khoá học "Bình dân học vụ số" (content/courses)')
  .command('check')
  .description('Kiểm tra mọi khoá học theo lược đồ; in lỗi kèm tệp, dòng và lý do')
  .option('--dir <dir>', 'thư mục khoá học', BUNDLED_COURSES_DIR)
  .action(async (options: { dir: string }) => {
    try {
      const catalogue = await loadCourseFiles(options.dir);
      for (const { course, lessons, quiz, images } of catalogue.courses) {
        console.log(`${String(course.order).padStart(2)}. ${course.slug.padEnd(28)} ${lessons.length} bài, ${quiz.questions.length} câu hỏi, ${images.size} ảnh${course.basicPath ? ', lộ trình cơ bản' : ''}`);
      }
      console.log(`Hợp lệ: ${catalogue.courses.length} khoá học.`);
    } catch (error) {
      if (!(error instanceof ContentFileError)) throw error;
      console.error(`Khoá học có lỗi:\n  ${error.problems.join('\n  ')}`);
      process.exitCode = 1;
    }
  });

const units = program.command('units').description('Đơn vị hành chính');
units
  .command('load')
  .description('Nạp danh sách đơn vị cấp xã của một tỉnh từ CSV (và bảng chuyển đổi đơn vị cũ)')
  .requiredOption('--province <code>', 'mã tỉnh/thành phố 2 chữ số, ví dụ 79')
  .option('--units <file>', 'CSV đơn vị: code,name,type,full_name[,name_ascii,area_km2,population]', DATA_FILES_DIR + 'hcmc-units-2025.csv')
  .option('--legacy <file>', 'CSV đơn vị trước 1/7/2025 (old_code,old_name,old_district,old_province,new_code,…)')
  .option('--provinces <file>', 'CSV tỉnh: code,name,full_name', DATA_FILES_DIR + 'vn-provinces-2025.csv')
  .option('--dry-run', 'chỉ kiểm tra tệp, không ghi')
  .action(async (options: { province: string; units: string; legacy?: string; provinces: string; dryRun?: boolean }) => {
    const files = {
      provinceCode: options.province,
      provincesCsv: readFileSync(options.provinces, 'utf8'),
      unitsCsv: readFileSync(options.units, 'utf8'),
      legacyCsv: options.legacy ? readFileSync(options.legacy, 'utf8') : undefined,
    };
    const { handle } = await openCliDatabase(flags());
    try {
      if (options.dryRun) {
        // Validate inside a transaction that is rolled back, so the checks are exactly the real ones.
        await handle.db
          .transaction(async (tx) => {
            const result = await loadUnits(tx, files);
            console.log(`Kiểm tra xong: ${result.units} đơn vị, ${result.legacyRows} dòng đơn vị cũ (không ghi).`);
            tx.rollback();
          })
          .catch((error: unknown) => {
            if ((error as Error).name !== 'TransactionRollbackError') throw error;
          });
      } else {
        const result = await loadUnits(handle.db, files);
        console.log(`Đã nạp ${result.units} đơn vị của ${result.province}, ${result.legacyRows} dòng đơn vị cũ.`);
      }
    } finally {
      await handle.close();
    }
  });

const importCli = program
  .command('import')
  .description('Nhập một danh sách (CSV/XLSX) của cơ quan: chuẩn hóa, đối chiếu với sổ, mỗi dòng một trạng thái')
  .argument('<file>', 'tệp CSV hoặc XLSX')
  // Not a requiredOption: commander would then demand it of `cds import rollback` too. importCommand checks it.
  .option('--source <type>', 'loại danh sách (bắt buộc): residence_list, vneid_activation, epayment_accounts, social_insurance, telecom_2g, poverty_list, training_roster, organisation_list')
  .option('--mapping <name>', 'cách ghép cột đã lưu')
  .option('--report <file.csv>', 'báo cáo từng dòng: row,status,reasons,resident_id')
  .option('--json', 'in tóm tắt dạng JSON')
  .option('--unit <code>', 'đơn vị của các dòng không ghi địa chỉ')
  .option('--sheet <name|index>', 'trang tính (XLSX)')
  .option('--province <code>', 'mã tỉnh/thành phố', HCMC_PROVINCE_CODE)
  .action(async (file: string, options) => {
    if (options.source === undefined) throw new Error('Thiếu --source <loại danh sách>');
    await importCommand(flags(), file, options);
  });
// `cds import rollback 12`: commander dispatches to the subcommand when the first word names it.
importCli
  .command('rollback')
  .description('Hoàn tác một lần nhập: rút các thông tin đã ghi, xóa những gì chỉ lần nhập đó tạo ra, trả lại giá trị bị ghi đè')
  .argument('<batch-id>', 'số của lần nhập (#)', positiveInt)
  .option('--json', 'in kết quả dạng JSON')
  .option('--dry-run', 'chỉ cho biết lần nhập nào sẽ được hoàn tác, không ghi')
  // Listed for the help only: `import` has --json and --province too, and commander gives them to
  // it wherever they are written. Hence no default here, which would override the parent's value.
  .option('--province <code>', `mã tỉnh/thành phố (mặc định ${HCMC_PROVINCE_CODE})`)
  .action(async (batchId: number, _options, command: Command) => importRollbackCommand(flags(), batchId, command.optsWithGlobals<ImportRollbackFlags>()));

importCli
  .command('template')
  .description('Tạo tệp mẫu XLSX cho một loại danh sách: tên cột, cột số CCCD/điện thoại dạng văn bản, danh sách chọn, trang hướng dẫn')
  .usage('--source <loại danh sách> [--out tệp.xlsx]')
  .option('--out <file.xlsx>', 'tệp ra (mặc định: mau-<loại>.xlsx)')
  // --source is the parent's option: commander hands it to `import`, wherever it is written.
  .action(async (_options, command: Command) => {
    const options = command.optsWithGlobals<{ source?: string; out?: string }>();
    if (options.source === undefined) throw new Error('Thiếu --source <loại danh sách>');
    await importTemplateCommand({ source: options.source, ...(options.out ? { out: options.out } : {}) });
  });

program
  .command('export')
  .description('Xuất dữ liệu')
  .command('residents')
  .description('Xuất nhân khẩu: resident_id,full_name,birth_date,sex,citizen_id,phone,unit_code,household_id')
  .option('--format <csv|xlsx>', 'định dạng', 'csv')
  .option('--unit <code>', 'chỉ một đơn vị')
  .option('--reveal', 'hiện đầy đủ số CCCD và số điện thoại (được ghi nhật ký)')
  .option('--out <file>', 'tệp ra (mặc định: màn hình, chỉ với csv)')
  .option('--province <code>', 'mã tỉnh/thành phố', HCMC_PROVINCE_CODE)
  .action(async (options) => {
    if (options.format !== 'csv' && options.format !== 'xlsx') throw new InvalidArgumentError('--format là csv hoặc xlsx');
    await exportResidentsCommand(program.opts<DatabaseFlags>(), options);
  });

program
  .command('migrate')
  .description('Áp dụng các migration còn thiếu')
  .action(async () => {
    const { handle } = await openCliDatabase(flags());
    await handle.close();
    console.log('Cơ sở dữ liệu đã cập nhật.');
  });

const indicators = program.command('indicators').description('Sổ chỉ tiêu (số liệu của bảng điều khiển)');
indicators
  .command('verify')
  .description('Tính lại mọi số liệu từ dữ kiện và so với sổ chỉ tiêu đang giữ; mã thoát 1 nếu lệch')
  .option('--json', 'in kết quả dạng JSON')
  .action(async (options: { json?: boolean }) => verifyIndicatorsCommand(flags(), options));
indicators
  .command('rebuild')
  .description('Dựng lại sổ chỉ tiêu từ dữ kiện (sau khi nạp hàng loạt không qua dịch vụ)')
  .action(async () => rebuildIndicatorsCommand(flags()));

program.hook('preAction', () => {
  process.env.TZ ??= 'Asia/Ho_Chi_Minh';
});

try {
  await program.parseAsync();
} catch (error) {
  console.error(`Lỗi: ${(error as Error).message}`);
  process.exitCode = 1;
}

