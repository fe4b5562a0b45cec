/// Chinese words an admin writes for the policy's keys and sections (`每日上限 = 30`, `[排行]`), in simplified and
/// traditional script. Keys and sections are English words: quoting a Chinese key (what TOML's own help says) only leads
/// to "unknown key", so the help names the key to write instead.
extension PolicyChecker {
    /// A Chinese word for a key, with the keys it can mean, most likely first; the one allowed in the section is taken.
    static let keyWords: [String: [String]] = {
        let groups: [([String], [String])] = [
            (["名称", "名稱", "名字", "标签", "標籤", "显示名称", "顯示名稱"], ["label", "name"]),
            (["标题", "標題", "规则名称", "規則名稱"], ["name", "label"]),
            (["编号", "編號", "规则编号", "規則編號"], ["id"]),
            (["版本", "版本号", "版本號"], ["version"]),
            (["生效", "生效日", "生效日期", "生效时间", "生效時間", "开始日期", "開始日期"], ["effective"]),
            (["时区", "時區"], ["timezone"]),
            (["单位", "單位", "积分名称", "積分名稱"], ["unit"]),
            (["取整", "取整方式", "舍入", "舍入方式", "捨入", "捨入方式"], ["rounding"]),
            (["精度", "步长", "步長", "积分精度", "積分精度"], ["step"]),
            (["最少分钟", "最少分鐘", "最短时长", "最短時長", "最低分钟", "最低分鐘", "起计分钟", "起計分鐘"], ["min_minutes"]),
            (["最多分钟", "最多分鐘", "最长时长", "最長時長", "单条最多分钟", "單條最多分鐘", "每条最多分钟", "每條最多分鐘"],
             ["max_minutes_per_record"]),
            (["核实人", "核實人", "需要核实人", "需要核實人", "需要核实", "需要核實"], ["require_verifier"]),
            (["自动通过", "自動通過", "自动通过天数", "自動通過天數", "自动审核天数", "自動審核天數"], ["auto_accept_after_days"]),
            (["系数合并", "係數合併", "合并方式", "合併方式", "系数组合", "係數組合"], ["combine_multipliers"]),
            (["每小时积分", "每小時積分", "每小时", "每小時", "时薪", "時薪", "积分每小时", "積分每小時", "每小时分数", "每小時分數"],
             ["points_per_hour"]),
            (["每日上限", "每天上限", "日上限", "每日封顶", "每日封頂", "每天封顶", "每天封頂", "每日", "每天"], ["daily_cap", "daily"]),
            (["每周上限", "每週上限", "周上限", "週上限", "每周", "每週"], ["weekly"]),
            (["每月上限", "月上限", "每月封顶", "每月封頂", "每月"], ["monthly_cap", "monthly"]),
            (["每年上限", "年上限", "每年封顶", "每年封頂", "每年", "全年上限"], ["yearly"]),
            (["积分", "積分", "分值", "分数", "分數", "加分", "扣分"], ["points", "points_per_hour"]),
            (["系数", "係數", "倍数", "倍數", "倍率"], ["factor"]),
            (["条件", "條件", "适用条件", "適用條件"], ["when", "eligible"]),
            (["类别", "類別", "分类", "分類", "服务类别", "服務類別", "适用类别", "適用類別"], ["categories"]),
            (["仅一次", "僅一次", "一次", "只奖一次", "只獎一次"], ["once"]),
            (["维度", "維度"], ["dimension"]),
            (["周期", "週期", "频率", "頻率", "发放周期", "發放周期"], ["every", "per", "period"]),
            (["对象", "對象", "发放对象", "發放對象", "发给", "發給"], ["to"]),
            (["记入", "記入", "积分记入", "積分記入", "积分归属", "積分歸屬"], ["earn_to"]),
            (["余额下限", "餘額下限", "最低余额", "最低餘額", "余额底线", "餘額底線"], ["balance_floor"]),
            (["启用", "啟用", "允许", "允許", "允许赠送", "允許贈送", "开启", "開啟"], ["enabled"]),
            (["每月最多赠送", "每月最多贈送", "每月赠送上限", "每月贈送上限"], ["max_points_per_month"]),
            (["过期月数", "過期月數", "有效月数", "有效月數", "有效期", "几个月后过期", "幾個月後過期"], ["after_months"]),
            (["年底过期", "年底過期", "年底清零", "年底作废", "年底作廢"], ["end_of_year"]),
            (["提醒天数", "提醒天數", "提前提醒", "提前提醒天数", "提前提醒天數", "提前天数", "提前天數"], ["warn_days"]),
            (["最少小时", "最少小時", "最低时长", "最低時長", "服务时长", "服務時長"], ["min_hours"]),
            (["最低积分", "最低積分", "最少积分", "最少積分"], ["min_points"]),
            (["前几名", "前幾名", "名次", "前多少名", "人数", "人數"], ["top"]),
            (["排名依据", "排名依據", "依据", "依據", "排名方式"], ["by"]),
            (["类型", "類型", "种类", "種類"], ["kind"]),
            (["分组", "分組", "组别", "組別"], ["group"]),
            (["价格", "價格", "兑换积分", "兌換積分", "所需积分", "所需積分"], ["price"]),
            (["成本", "单位成本", "單位成本", "单价", "單價", "进价", "進價"], ["unit_cost"]),
            (["限兑", "限兌", "限购", "限購", "限制", "兑换限制", "兌換限制"], ["limit"]),
            (["资格", "資格", "兑换条件", "兌換條件"], ["eligible", "when"]),
            (["名额", "名額", "每日名额", "每日名額", "每天名额", "每天名額"], ["capacity_per_day"]),
            (["库存预警", "庫存預警", "低库存", "低庫存", "补货线", "補貨線"], ["low_stock"]),
            (["币种", "幣種", "货币", "貨幣"], ["currency"]),
            (["商户费率", "商戶費率", "商户比例", "商戶比例", "注资比例", "注資比例"], ["merchant_rate"]),
            (["积分价值", "積分價值", "每分价值", "每分價值"], ["point_value"]),
            (["节假日", "節假日", "假日", "法定节假日", "法定節假日"], ["holidays"]),
            (["次数", "次數"], ["count"]),
        ]
        var words: [String: [String]] = [:]
        for (written, keys) in groups { for word in written { words[word] = keys } }
        return words
    }()

    /// A Chinese word for a section, in simplified and traditional script.
    static let sectionWords: [String: String] = {
        let groups: [([String], String)] = [
            (["政策", "规则", "規則", "积分规则", "積分規則", "基本信息"], "policy"),
            (["计分", "計分", "积分计算", "積分計算", "计分方式", "計分方式"], "earning"),
            (["类别", "類別", "服务类别", "服務類別", "分类", "分類", "服务类型", "服務類型"], "categories"),
            (["指标", "指標", "考核指标", "考核指標"], "indicators"),
            (["系数", "係數", "倍数", "倍數"], "multipliers"),
            (["奖励", "獎勵", "加分"], "bonuses"),
            (["扣分", "处罚", "處罰", "惩罚", "懲罰"], "penalties"),
            (["上限", "封顶", "封頂", "积分上限", "積分上限"], "caps"),
            (["发放", "發放", "基础分", "基礎分", "定期发放", "定期發放"], "grants"),
            (["账户", "賬戶", "帐户", "帳戶"], "accounts"),
            (["转赠", "轉贈", "赠送", "贈送"], "transfers"),
            (["过期", "過期", "有效期"], "expiry"),
            (["星级", "星級", "等级", "等級"], "levels"),
            (["排行", "排名", "排行榜"], "ranking"),
            (["兑换目录", "兌換目錄", "目录", "目錄", "商品", "积分超市", "積分超市"], "catalog"),
            (["基金", "微基金"], "fund"),
            (["日历", "日曆", "节假日", "節假日"], "calendar"),
        ]
        var words: [String: String] = [:]
        for (written, section) in groups { for word in written { words[word] = section } }
        return words
    }()

    /// The key `word` (a Chinese word) stands for among `allowed`, or nil.
    static func keyForWord(_ word: String, allowed: [String]) -> String? {
        keyWords[word]?.first { allowed.contains($0) }
    }

    /// The keys allowed in the section with this header path (`["categories", "orange"]`, `["caps"]`); nil when unknown.
    static func allowedKeys(inSection path: [String]) -> [String]? {
        guard let first = path.first else { return nil }
        if path.count == 1 {
            return [
                "policy": headerKeys, "earning": earningKeys, "caps": capKeys, "accounts": ["earn_to", "balance_floor"],
                "transfers": ["enabled", "max_points_per_month"], "expiry": ["after_months", "end_of_year", "warn_days"],
                "ranking": ["period", "top", "by"], "fund": ["currency", "merchant_rate", "point_value"], "calendar": ["holidays"],
            ][first]
        }
        guard path.count == 2 else { return nil }
        return [
            "categories": categoryKeys, "indicators": indicatorKeys, "multipliers": multiplierKeys, "bonuses": bonusKeys,
            "penalties": penaltyKeys, "grants": grantKeys, "levels": ["label", "min_hours", "min_points"], "catalog": catalogKeys,
        ][first]
    }

    /// The help for a Chinese key `word` written in the section `path`: the English key to write, or the keys allowed.
    static func chineseKeyHelp(_ word: String, section path: [String]?, value: String?) -> String? {
        guard let path, let allowed = allowedKeys(inSection: path) else { return nil }
        let header = "[" + path.joined(separator: ".") + "]"
        if let key = keyForWord(word, allowed: allowed) {
            return "keys are written in English: for \(word) write \(key) = \(value ?? "...")"
        }
        return "keys are written in English; the keys of \(header) are: " + allowed.joined(separator: ", ")
    }

    /// The parts of the last table header before `offset` (`[categories.orange]` → ["categories", "orange"]), when they
    /// are bare keys; `[]` when the line is before any header; nil when that header is not one of bare keys.
    static func enclosingHeaderPath(before offset: Int, in bytes: [UInt8]) -> [String]? {
        var lineStart = min(offset, bytes.count)
        while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        while lineStart > 0 {
            // The line before.
            var start = lineStart - 1
            while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
            var first = start
            while first < lineStart, bytes[first] == 0x20 || bytes[first] == 0x09 { first += 1 }
            if first < lineStart, bytes[first] == UInt8(ascii: "[") { return headerPath(atLineOf: start, in: bytes) }
            lineStart = start
        }
        return []
    }

    /// A Chinese word written where a key or a section name goes, on the line holding `offset`: `每日上限 = 30` gives
    /// ("每日上限", false, "30"), `[排行]` gives ("排行", true, nil); nil for any other line.
    static func chineseWordOnLine(atLineOf offset: Int, in bytes: [UInt8]) -> (word: String, isHeader: Bool, value: String?)? {
        var start = min(offset, bytes.count)
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        var end = start
        while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
        let line = String(decoding: bytes[start..<end], as: UTF8.self).trimmingASCIISpaces()
        func isWord(_ text: String) -> Bool {
            // Chinese letters, not a full-width space (which has its own help) or punctuation.
            text.unicodeScalars.contains { !$0.isASCII && $0.properties.isAlphabetic }
                && !text.unicodeScalars.contains { $0.properties.isWhitespace || ".\"'#=".unicodeScalars.contains($0) }
        }
        if line.hasPrefix("["), !line.hasPrefix("[["), let close = line.firstIndex(of: "]") {
            let word = String(line[line.index(after: line.startIndex)..<close]).trimmingASCIISpaces()
            return isWord(word) ? (word, true, nil) : nil
        }
        // The key ends at "=" or at a full-width "＝" or "：" typed for it.
        guard let sign = line.firstIndex(where: { $0 == "=" || $0 == "＝" || $0 == "：" }) else { return nil }
        let word = String(line[..<sign]).trimmingASCIISpaces()
        guard isWord(word) else { return nil }
        var value = String(line[line.index(after: sign)...])
        if let hash = value.indices.first(where: { value[$0] == "#" && $0 > value.startIndex && value[value.index(before: $0)] == " " }) {
            value = String(value[..<hash])
        }
        value = value.trimmingASCIISpaces()
        return (word, false, value.isEmpty ? nil : value)
    }
}
