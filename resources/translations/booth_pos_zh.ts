<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AuditDialog</name>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="58"/>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="62"/>
        <location filename="../../booth_pos/ui/audit_view.py" line="87"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="64"/>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="69"/>
        <location filename="../../booth_pos/ui/audit_view.py" line="87"/>
        <source>Operator</source>
        <translation>收银员</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="71"/>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="74"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="87"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="87"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="94"/>
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="103"/>
        <source>Void</source>
        <translation>作废</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="104"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="105"/>
        <source>Price change</source>
        <translation>改价</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="106"/>
        <source>Price override</source>
        <translation>临时改价</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="107"/>
        <source>Round-down</source>
        <translation>抹零</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="108"/>
        <source>Drawer opened</source>
        <translation>开钱箱</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="109"/>
        <source>Product change</source>
        <translation>商品变更</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="110"/>
        <source>Household change</source>
        <translation>农户变更</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="111"/>
        <source>People change</source>
        <translation>人员变更</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="112"/>
        <source>Day close</source>
        <translation>日结</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="113"/>
        <source>Wrong PIN</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="114"/>
        <source>Settings change</source>
        <translation>设置变更</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="115"/>
        <source>Catalogue import</source>
        <translation>商品导入</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="163"/>
        <source>{0} entries, newest first.</source>
        <translation>共 {0} 条，最新的在前。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/audit_view.py" line="165"/>
        <source>Only the newest {0} are shown.</source>
        <translation>只显示最新的 {0} 条。</translation>
    </message>
</context>
<context>
    <name>BoothPage</name>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="55"/>
        <source>Which booth is this?</source>
        <translation>这是哪个摊位？</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="58"/>
        <source>The booth code starts every receipt number (LX01-000001), so keep it short: 2 to 12 letters or digits.</source>
        <translation>摊位编码是每张小票号的开头（LX01-000001），请尽量简短：2 到 12 位字母或数字。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="65"/>
        <location filename="../../booth_pos/ui/wizard.py" line="67"/>
        <location filename="../../booth_pos/ui/wizard.py" line="69"/>
        <source>e.g. {0}</source>
        <translation>例如 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="70"/>
        <source>Booth code</source>
        <translation>摊位编码</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="71"/>
        <source>Booth name</source>
        <translation>摊位名称</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="72"/>
        <source>Town</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="90"/>
        <source>The booth code must be 2 to 12 letters or digits.</source>
        <translation>摊位编码须为 2 到 12 位字母或数字。</translation>
    </message>
</context>
<context>
    <name>CatalogEditorDialog</name>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="109"/>
        <source>Goods and households (coordinator)</source>
        <translation>商品与农户（负责人）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="112"/>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="113"/>
        <source>Households</source>
        <translation>农户</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="114"/>
        <source>Categories</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="115"/>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="140"/>
        <source>Change the goods, households and prices.</source>
        <translation>修改商品、农户和价格。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="168"/>
        <source>Yuan per unit, e.g. 6.80</source>
        <translation>每单位价格（元），如 6.80</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="172"/>
        <source>Button colour, e.g. #4a90d9 (optional)</source>
        <translation>按钮颜色，如 #4a90d9（可不填）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="173"/>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="237"/>
        <source>On sale</source>
        <translation>在售</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="175"/>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="229"/>
        <source>PLU</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="176"/>
        <source>Chinese name</source>
        <translation>中文名</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="177"/>
        <source>English name</source>
        <translation>英文名</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="178"/>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="231"/>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="179"/>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="232"/>
        <source>Sold by</source>
        <translation>计价单位</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="180"/>
        <source>Price (yuan)</source>
        <translation>价格（元）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="181"/>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="236"/>
        <source>Barcode</source>
        <translation>条码</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="182"/>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="235"/>
        <source>Household</source>
        <translation>农户</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="183"/>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="187"/>
        <source>New product</source>
        <translation>新商品</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="189"/>
        <source>Save product</source>
        <translation>保存商品</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="191"/>
        <source>Take off sale</source>
        <translation>停售</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="197"/>
        <source>Price history of this product</source>
        <translation>该商品的价格记录</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="204"/>
        <source>kg</source>
        <translation>公斤</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="204"/>
        <source>jin (500 g)</source>
        <translation>斤（500 克）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="204"/>
        <source>item</source>
        <translation>件</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="208"/>
        <source>set at the booth</source>
        <translation>摊位设定</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="208"/>
        <source>from the county</source>
        <translation>县里下发</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="213"/>
        <source>Poverty-registered household</source>
        <translation>脱贫户</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="214"/>
        <source>Family farm</source>
        <translation>家庭农场</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="215"/>
        <source>Cooperative</source>
        <translation>合作社</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="230"/>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="424"/>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="448"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="233"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="234"/>
        <source>Price from</source>
        <translation>价格来源</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="252"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="252"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="325"/>
        <source>{0}: {1} → {2} by {3} ({4})</source>
        <translation>{0}：{1} → {2}，{3} 修改（{4}）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="343"/>
        <source>Choose the household that supplies this product.</source>
        <translation>请选择供货农户。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="370"/>
        <source>Saved {0} {1} at ¥{2}.</source>
        <translation>已保存 {0} {1}，单价 ¥{2}。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="390"/>
        <source>Choose a product first.</source>
        <translation>请先选择商品。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="404"/>
        <source>{0} is no longer on sale.</source>
        <translation>{0} 已停售。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="423"/>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="448"/>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="425"/>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="448"/>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="426"/>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="448"/>
        <source>Town</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="427"/>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="448"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="430"/>
        <source>New household</source>
        <translation>新农户</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="432"/>
        <source>Save household</source>
        <translation>保存农户</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="504"/>
        <source>Saved household {0} {1}.</source>
        <translation>已保存农户 {0} {1}。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="517"/>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="519"/>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="521"/>
        <source>Save order</source>
        <translation>保存顺序</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="584"/>
        <source>The till shows the categories in this order.</source>
        <translation>收银界面将按此顺序显示分类。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="595"/>
        <source>Choose a catalogue CSV file. Its rows are checked first; nothing is written until you press Import, and only if every row is good.</source>
        <translation>选择商品 CSV 文件。先逐行检查；点“导入”前不写入任何内容，且只有每一行都正确才能导入。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="602"/>
        <source>Choose CSV file…</source>
        <translation>选择 CSV 文件…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="604"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="607"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="617"/>
        <source>Bad lines</source>
        <translation>错误行</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="623"/>
        <source>Catalogue CSV</source>
        <translation>商品 CSV</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="623"/>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="709"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="634"/>
        <source>Checking {0}…</source>
        <translation>正在检查 {0}…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="642"/>
        <source>That file cannot be read; save it as a UTF-8 CSV and try again.</source>
        <translation>无法读取该文件；请另存为 UTF-8 编码的 CSV 后重试。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="663"/>
        <source>{0} households, {1} new products, {2} changed products, {3} bad lines.</source>
        <translation>农户 {0} 个，新商品 {1} 个，变更商品 {2} 个，错误行 {3} 行。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="671"/>
        <source>Fix the bad lines and choose the file again.</source>
        <translation>请改正错误行后重新选择文件。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="701"/>
        <source>Imported: {0} households, {1} products added, {2} updated.</source>
        <translation>已导入：农户 {0} 个，新增商品 {1} 个，更新 {2} 个。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="709"/>
        <source>Export the catalogue</source>
        <translation>导出商品目录</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="725"/>
        <source>Catalogue written to {0}.</source>
        <translation>商品目录已保存到 {0}。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/catalog_editor.py" line="727"/>
        <source>The file could not be written: {0}</source>
        <translation>无法写入文件：{0}</translation>
    </message>
</context>
<context>
    <name>CoordinatorDialog</name>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="149"/>
        <source>Day end (coordinator)</source>
        <translation>日结（协调员）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="152"/>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="153"/>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="154"/>
        <source>Day</source>
        <translation>当日</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="155"/>
        <location filename="../../booth_pos/ui/coordinator.py" line="775"/>
        <source>Commission</source>
        <translation>佣金</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="180"/>
        <source>Float in yuan, e.g. 200</source>
        <translation>备用金（元），如 200</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="181"/>
        <source>Open shift</source>
        <translation>开班</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="188"/>
        <source>Amount in yuan</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="190"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="191"/>
        <source>Pay in</source>
        <translation>存入</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="192"/>
        <source>Pay out</source>
        <translation>取出</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="203"/>
        <source>Cash count: pieces of each note and coin</source>
        <translation>点钞：每种面额的张数/枚数</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="220"/>
        <source>Close shift with this count</source>
        <translation>按此点钞结班</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="236"/>
        <source>Counted {0}</source>
        <translation>实点 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="238"/>
        <source> · expected {0} · variance {1}</source>
        <translation> · 应有 {0} · 差额 {1}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="248"/>
        <source>No shift is open.</source>
        <translation>当前没有开班。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="257"/>
        <source>Shift opened by {0}: float {1}, pay-ins {2}, pay-outs {3}, cash taken {4}, expected in the box {5}</source>
        <translation>{0} 开班：备用金 {1}，存入 {2}，取出 {3}，现金收入 {4}，钱箱应有 {5}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="268"/>
        <source>Closed by {0}: counted {1}, variance {2}</source>
        <translation>{0} 结班：实点 {1}，差额 {2}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="299"/>
        <source>Pay-in</source>
        <translation>存入</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="299"/>
        <source>Pay-out</source>
        <translation>取出</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="330"/>
        <source>e.g. 20kg, 40斤 or 12</source>
        <translation>如 20kg、40斤 或 12</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="332"/>
        <source>Household code (optional), e.g. H001</source>
        <translation>农户编号（可选），如 H001</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="333"/>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="334"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="335"/>
        <location filename="../../booth_pos/ui/coordinator.py" line="775"/>
        <source>Household</source>
        <translation>农户</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="339"/>
        <source>Spoiled</source>
        <translation>变质</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="339"/>
        <source>Damaged</source>
        <translation>损坏</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="339"/>
        <source>Tasting sample</source>
        <translation>试吃</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="339"/>
        <location filename="../../booth_pos/ui/coordinator.py" line="615"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="344"/>
        <source>Note (optional)</source>
        <translation>备注（可选）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="345"/>
        <source>Waste reason</source>
        <translation>损耗原因</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="346"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="349"/>
        <source>Receive goods</source>
        <translation>收货</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="350"/>
        <source>Record waste</source>
        <translation>登记损耗</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="359"/>
        <source>PLU</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="360"/>
        <source>Goods</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="361"/>
        <source>On hand</source>
        <translation>库存</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="362"/>
        <source>Low</source>
        <translation>不足</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="363"/>
        <source>Counted</source>
        <translation>盘点数</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="375"/>
        <source>Reason for any difference</source>
        <translation>差异原因</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="376"/>
        <source>Save counted stock</source>
        <translation>保存盘点</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="406"/>
        <source>LOW</source>
        <translation>库存不足</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="458"/>
        <source>{0} {1}: {2} {3}; on hand {4} {3}</source>
        <translation>{0} {1}：{2} {3}；库存 {4} {3}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="487"/>
        <source>Type a counted quantity next to the goods first.</source>
        <translation>请先在商品旁填写盘点数量。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="503"/>
        <source>QR payment app&apos;s total for the day (yuan)</source>
        <translation>收款码应用当日总额（元）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="505"/>
        <source>e.g. 356.50</source>
        <translation>如 356.50</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="521"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="522"/>
        <source>Close the day (Z report)…</source>
        <translation>日结（Z 报表）…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="524"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="525"/>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="526"/>
        <source>Print household slips</source>
        <translation>打印农户结算单</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="527"/>
        <source>Print the report</source>
        <translation>打印报表</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="571"/>
        <source>Recorded {0} · variance {1}</source>
        <translation>已记录 {0} · 差额 {1}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="577"/>
        <source>Recorded {0}</source>
        <translation>已记录 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="580"/>
        <source>Sales by hour (¥)</source>
        <translation>每小时销售额（¥）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="586"/>
        <source>Sales by product (¥)</source>
        <translation>各商品销售额（¥）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="598"/>
        <source>Z report no. {0}</source>
        <translation>Z 报表 第 {0} 号</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="600"/>
        <source>X report (snapshot)</source>
        <translation>X 报表（即时）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="603"/>
        <source>Receipts {0} .. {1}</source>
        <translation>小票 {0} .. {1}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="604"/>
        <source>Sales {0} · voids {1} · refunds {2}</source>
        <translation>销售 {0} 笔 · 作废 {1} 笔 · 退款 {2} 笔</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="607"/>
        <source>Gross {0}</source>
        <translation>总额 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="608"/>
        <source>Voids {0}</source>
        <translation>作废 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="609"/>
        <source>Refunds {0}</source>
        <translation>退款 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="610"/>
        <source>Round-downs {0}</source>
        <translation>抹零 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="611"/>
        <source>Net {0}</source>
        <translation>净额 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="613"/>
        <source>By tender</source>
        <translation>按支付方式</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="615"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="615"/>
        <source>QR</source>
        <translation>扫码</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="619"/>
        <source>By product</source>
        <translation>按商品</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="626"/>
        <source>By household</source>
        <translation>按农户</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="629"/>
        <source>{0} {1}: goods {2}, commission {3} {4}, owed {5}</source>
        <translation>{0} {1}：货款 {2}，佣金 {3} {4}，应付 {5}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="642"/>
        <source>Variances</source>
        <translation>差异</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="644"/>
        <source>Cash: expected {0}, counted {1}, variance {2}</source>
        <translation>现金：应有 {0}，实点 {1}，差额 {2}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="648"/>
        <source>QR: recorded {0}, statement {1}, variance {2}</source>
        <translation>扫码：已记录 {0}，账单 {1}，差额 {2}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="654"/>
        <source>Stock: no variance</source>
        <translation>库存：无差异</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="657"/>
        <source>Stock {0} {1}: {2} {3} ({4})</source>
        <translation>库存 {0} {1}：{2} {3}（{4}）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="676"/>
        <source>Close the day: the day is locked and a Z report is made.</source>
        <translation>日结：当天将被锁定并生成 Z 报表。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="706"/>
        <source>Day closed: Z report no. {0}. Backup written to {1}</source>
        <translation>已日结：Z 报表第 {0} 号。备份已写入 {1}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="712"/>
        <source>Day closed: Z report no. {0}, but the backup failed: {1}</source>
        <translation>已日结：Z 报表第 {0} 号，但备份失败：{1}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="723"/>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="723"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="736"/>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="736"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="763"/>
        <source>{0} slip(s) sent to the printer.</source>
        <translation>已发送 {0} 张单据到打印机。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="767"/>
        <source>Written to {0}</source>
        <translation>已写入 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="775"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="784"/>
        <source>Rate in percent, e.g. 5 or 5.5</source>
        <translation>费率（百分比），如 5 或 5.5</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="785"/>
        <source>Set rate for the selected household</source>
        <translation>为所选农户设置费率</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="811"/>
        <source>Choose a household first.</source>
        <translation>请先选择农户。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/coordinator.py" line="821"/>
        <source>Set a household&apos;s commission rate.</source>
        <translation>设置农户的佣金费率。</translation>
    </message>
</context>
<context>
    <name>CoordinatorPage</name>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="100"/>
        <source>Who is the coordinator?</source>
        <translation>谁是协调员？</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="103"/>
        <source>The coordinator&apos;s PIN allows voids, refunds and changes to the settings. Choose 4 to 8 digits and enter them twice.</source>
        <translation>协调员密码用于作废、退款和修改设置。请设置 4 到 8 位数字，并输入两次。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="112"/>
        <source>Coordinator&apos;s name</source>
        <translation>协调员姓名</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="113"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="114"/>
        <source>PIN again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="134"/>
        <source>The PIN must be {0} to {1} digits.</source>
        <translation>密码须为 {0} 到 {1} 位数字。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="136"/>
        <source>The two PINs are not the same. Enter them again.</source>
        <translation>两次输入的密码不一致，请重新输入。</translation>
    </message>
</context>
<context>
    <name>CoordinatorPinDialog</name>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="277"/>
        <source>Coordinator PIN</source>
        <translation>协调员密码</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="288"/>
        <source>A coordinator enters their PIN to allow this.</source>
        <translation>需协调员输入密码授权。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="297"/>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="299"/>
        <source>Allow (Enter)</source>
        <translation>授权 (Enter)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="312"/>
        <source>Enter a coordinator&apos;s PIN.</source>
        <translation>请输入协调员密码。</translation>
    </message>
</context>
<context>
    <name>CountyStatus</name>
    <message>
        <location filename="../../booth_pos/ui/county_status.py" line="16"/>
        <source>County server: not configured · {0} unsynced</source>
        <translation>县级服务器：未配置 · {0} 笔未上传</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/county_status.py" line="20"/>
        <source>County server: online · {0} unsynced</source>
        <translation>县级服务器：在线 · {0} 笔未上传</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/county_status.py" line="24"/>
        <source>County server: offline · {0} unsynced</source>
        <translation>县级服务器：离线 · {0} 笔未上传</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/county_status.py" line="32"/>
        <source> · last {0}</source>
        <translation> · 上次 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/county_status.py" line="36"/>
        <source> · {0} rejected</source>
        <translation> · {0} 笔被拒</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="247"/>
        <source>Set up this booth</source>
        <translation>设置本摊位</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="256"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="257"/>
        <source>Next (Enter)</source>
        <translation>下一步 (Enter)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="258"/>
        <source>Set up the booth (Enter)</source>
        <translation>完成设置 (Enter)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="259"/>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="278"/>
        <source>Choose a CSV file first.</source>
        <translation>请先选择 CSV 文件。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="282"/>
        <source>Setting up the booth…</source>
        <translation>正在设置摊位…</translation>
    </message>
</context>
<context>
    <name>GoodsPage</name>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="154"/>
        <source>What does the booth sell?</source>
        <translation>本摊位卖什么？</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="155"/>
        <source>You can import or change the catalogue later too.</source>
        <translation>以后也可以导入或修改商品目录。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="158"/>
        <source>Load the demo goods (to try the till out)</source>
        <translation>载入演示商品（试用收银）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="159"/>
        <source>Import a catalogue CSV file</source>
        <translation>导入商品目录 CSV 文件</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="160"/>
        <source>Start with no goods</source>
        <translation>暂不添加商品</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="170"/>
        <source>{0} (PIN {1})</source>
        <translation>{0}（密码 {1}）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="174"/>
        <source>The demo also adds sample people who can log in: {0}. {1} is a coordinator too. Use the demo for practice, not for real trade.</source>
        <translation>演示数据还会添加可登录的示例人员：{0}。{1} 也是协调员。演示数据仅供练习，请勿用于真实交易。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="185"/>
        <source>No file chosen</source>
        <translation>未选择文件</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="187"/>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="215"/>
        <source>Choose a catalogue CSV file</source>
        <translation>选择商品目录 CSV 文件</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/wizard.py" line="217"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="150"/>
        <source>Sales history</source>
        <translation>销售记录</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="157"/>
        <source>Search by receipt number, e.g. 000012</source>
        <translation>按小票号搜索，如 000012</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="161"/>
        <source>Today only</source>
        <translation>仅今天</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="164"/>
        <source>Untick to search earlier days too</source>
        <translation>取消勾选可搜索以前的日期</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="167"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="177"/>
        <source>Receipt</source>
        <translation>小票</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="178"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="179"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="180"/>
        <source>Operator</source>
        <translation>收银员</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="181"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="197"/>
        <location filename="../../booth_pos/ui/history.py" line="353"/>
        <source>Tap a receipt to see what was sold.</source>
        <translation>点一张小票查看明细。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="203"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="204"/>
        <source>Item</source>
        <translation>件</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="205"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="206"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="207"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="208"/>
        <location filename="../../booth_pos/ui/history.py" line="319"/>
        <source>Refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="246"/>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="532"/>
        <source>Printing is not configured yet</source>
        <translation>尚未配置打印</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="253"/>
        <source>Void…</source>
        <translation>作废…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="250"/>
        <source>Retry failed prints</source>
        <translation>重打失败小票</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="256"/>
        <location filename="../../booth_pos/ui/history.py" line="539"/>
        <source>Refund…</source>
        <translation>退款…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="260"/>
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="317"/>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="321"/>
        <source>Refunded {0}</source>
        <translation>已退 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="362"/>
        <source>Receipt {0} · {1} · operator {2}</source>
        <translation>小票 {0} · {1} · 收银员 {2}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="393"/>
        <source>Subtotal {0}</source>
        <translation>小计 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="395"/>
        <source>round-down −{0}</source>
        <translation>抹零 −{0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="396"/>
        <source>Total {0}</source>
        <translation>合计 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="398"/>
        <source>{0} {1}</source>
        <translation>{0} {1}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="401"/>
        <source>Paid: {0}</source>
        <translation>已付：{0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="403"/>
        <source>change {0}</source>
        <translation>找零 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="405"/>
        <source>Refunded so far: {0}</source>
        <translation>已退金额：{0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="428"/>
        <source>Print failed: {0}</source>
        <translation>打印失败：{0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="430"/>
        <source>Reprinted</source>
        <translation>已补打</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="430"/>
        <source>Printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="432"/>
        <source>Waiting for the printer</source>
        <translation>等待打印</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="448"/>
        <source>Reprint of {0} sent to the printer.</source>
        <translation>小票 {0} 已发送补打。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="462"/>
        <source>{0} failed receipt(s) sent again.</source>
        <translation>已重新发送 {0} 张失败的小票。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="476"/>
        <source>{0} kg</source>
        <translation>{0} 公斤</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="480"/>
        <source>{0}/kg</source>
        <translation>{0}/公斤</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="482"/>
        <source>{0}/jin</source>
        <translation>{0}/斤</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="487"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="488"/>
        <source>Mobile QR</source>
        <translation>扫码支付</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="489"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="537"/>
        <source>Refund {0} ticked line(s)…</source>
        <translation>退所选 {0} 行…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="548"/>
        <source>Void receipt {0} ({1}): the whole sale is cancelled and its goods go back to stock.</source>
        <translation>作废小票 {0}（{1}）：整笔交易取消，商品退回库存。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="569"/>
        <source>Refund {0} line(s) of receipt {1}: the goods come back.</source>
        <translation>退回小票 {1} 的 {0} 行商品：商品退回库存。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="574"/>
        <source>Refund everything not yet refunded on receipt {0}: the goods come back.</source>
        <translation>退回小票 {0} 中尚未退的全部商品：商品退回库存。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="601"/>
        <source>Receipt {0} voided ({1}), allowed by {2}. Give the money back.</source>
        <translation>小票 {0} 已作废（{1}），授权人 {2}。请退还款项。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="612"/>
        <source>Refund {0} of receipt {1}: give back {2} ({3}), allowed by {4}.</source>
        <translation>退款单 {0}（小票 {1}）：退还 {2}（{3}），授权人 {4}。</translation>
    </message>
</context>
<context>
    <name>LineDialog</name>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="850"/>
        <source>− 1</source>
        <translation>− 1</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="851"/>
        <source>+ 1</source>
        <translation>+ 1</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="852"/>
        <source>Weigh again</source>
        <translation>重新称重</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="853"/>
        <source>Change price…</source>
        <translation>改价…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="854"/>
        <source>Remove (Del)</source>
        <translation>删除 (Del)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="855"/>
        <source>Done (Esc)</source>
        <translation>完成 (Esc)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="872"/>
        <source>New price in yuan, e.g. 3.00</source>
        <translation>新单价（元），如 3.00</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="874"/>
        <source>Apply price (Enter)</source>
        <translation>确认改价 (Enter)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="893"/>
        <source>Change line</source>
        <translation>修改商品行</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="913"/>
        <source>Change the price of this line for this sale only.</source>
        <translation>仅本笔交易修改此行单价。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="135"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="139"/>
        <source>Who is at the till? Tap your name, then enter your PIN.</source>
        <translation>谁在收银？点选您的名字，然后输入密码。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="147"/>
        <source>Loading the people at this booth…</source>
        <translation>正在载入本摊位人员…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="168"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="171"/>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="173"/>
        <source>Log in (Enter)</source>
        <translation>登录 (Enter)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="196"/>
        <source>Nobody can log in yet: set up the booth first.</source>
        <translation>还没有人可以登录：请先设置摊位。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="201"/>
        <source>{0}
(coordinator)</source>
        <translation>{0}
（协调员）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="233"/>
        <source>Tap your name first.</source>
        <translation>请先点选您的名字。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="237"/>
        <source>Enter your PIN.</source>
        <translation>请输入密码。</translation>
    </message>
</context>
<context>
    <name>OperationRunner</name>
    <message>
        <location filename="../../booth_pos/ui/runner.py" line="277"/>
        <source>This could not be done ({0}). Nothing was changed; please try again.</source>
        <translation>操作未完成（{0}）。没有任何改动，请重试。</translation>
    </message>
</context>
<context>
    <name>PayDialog</name>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="77"/>
        <source>Payment</source>
        <translation>付款</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="80"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="81"/>
        <source>Mobile</source>
        <translation>扫码</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="82"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="130"/>
        <source>No round-down (F5)</source>
        <translation>不抹零 (F5)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="131"/>
        <source>Round to ¥0.1 (F6)</source>
        <translation>抹零到角 (F6)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="132"/>
        <source>Round to ¥1 (F7)</source>
        <translation>抹零到元 (F7)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="162"/>
        <source>Cash received, typed on the keypad</source>
        <translation>实收现金（用键盘输入）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="180"/>
        <source>Backspace</source>
        <translation>退格</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="183"/>
        <source>Clear the typed cash</source>
        <translation>清除已输入的现金</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="185"/>
        <source>Add cash (+)</source>
        <translation>加入现金 (+)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="205"/>
        <source>Exact cash (F1)</source>
        <translation>现金刚好 (F1)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="210"/>
        <source>Mobile QR (F2)</source>
        <translation>扫码支付 (F2)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="210"/>
        <source>Mobile QR not set up</source>
        <translation>收款码未设置</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="215"/>
        <source>Other (F4)</source>
        <translation>其他方式 (F4)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="216"/>
        <source>Another payment for what remains</source>
        <translation>余额用其他方式支付</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="232"/>
        <source>The collection QR is not set up.</source>
        <translation>收款二维码尚未设置。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="241"/>
        <source>Received (F3)</source>
        <translation>已收到 (F3)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="244"/>
        <source>Cash keypad (F2)</source>
        <translation>现金键盘 (F2)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="252"/>
        <source>Payments</source>
        <translation>付款明细</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="260"/>
        <source>Remove (Del)</source>
        <translation>删除 (Del)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="261"/>
        <source>Remove the selected payment, or the last one</source>
        <translation>删除所选付款（或最后一笔）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="286"/>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="288"/>
        <source>Confirm (Enter)</source>
        <translation>确认收款 (Enter)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="399"/>
        <source>Total {0}</source>
        <translation>合计 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="402"/>
        <source>Subtotal {0}, round-down -{1}</source>
        <translation>小计 {0}，抹零 -{1}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="410"/>
        <source>Cash {0}</source>
        <translation>现金 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="420"/>
        <source>Remaining {0}</source>
        <translation>还差 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="421"/>
        <source>Change {0}</source>
        <translation>找零 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/pay_dialog.py" line="422"/>
        <source>Scan and pay {0}</source>
        <translation>请扫码支付 {0}</translation>
    </message>
</context>
<context>
    <name>PeopleDialog</name>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="64"/>
        <source>People (coordinator)</source>
        <translation>人员（负责人）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="80"/>
        <source>Name, as on the login screen</source>
        <translation>姓名（登录界面显示）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="90"/>
        <source>New PIN, 4 to 8 digits</source>
        <translation>新密码，4 到 8 位数字</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="91"/>
        <location filename="../../booth_pos/ui/people_admin.py" line="154"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="92"/>
        <location filename="../../booth_pos/ui/people_admin.py" line="154"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="93"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="97"/>
        <source>Add person</source>
        <translation>添加人员</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="99"/>
        <location filename="../../booth_pos/ui/people_admin.py" line="205"/>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="101"/>
        <source>Reset PIN</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="103"/>
        <source>Change role</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="118"/>
        <source>Coordinator</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="120"/>
        <source>Operator</source>
        <translation>收银员</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="137"/>
        <source>Change who may use the till.</source>
        <translation>更改可以使用收银台的人员。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="154"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="154"/>
        <source>Locked out</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="162"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="162"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="163"/>
        <source>until {0}</source>
        <translation>至 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="203"/>
        <source>Reactivate</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="213"/>
        <source>Enter the new person&apos;s name.</source>
        <translation>请输入新人员的姓名。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="216"/>
        <source>Enter a PIN for the new person.</source>
        <translation>请为新人员设置密码。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="218"/>
        <source>{0} can now log in.</source>
        <translation>{0} 现在可以登录了。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="233"/>
        <source>{0} can log in again.</source>
        <translation>{0} 可以重新登录了。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="235"/>
        <source>{0} can no longer log in.</source>
        <translation>{0} 已不能登录。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="251"/>
        <source>Enter the new PIN first.</source>
        <translation>请先输入新密码。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="254"/>
        <source>{0} has a new PIN.</source>
        <translation>{0} 的密码已重置。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people_admin.py" line="269"/>
        <source>{0} is now: {1}.</source>
        <translation>{0} 现在是：{1}。</translation>
    </message>
</context>
<context>
    <name>PinEntry</name>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="74"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="89"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/people.py" line="94"/>
        <source>⌫ Back</source>
        <translation>⌫ 退格</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="69"/>
        <location filename="../../booth_pos/ui/history.py" line="93"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="75"/>
        <source>Why? Tap a reason or type one.</source>
        <translation>原因？点选或输入。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="81"/>
        <source>Rung up by mistake</source>
        <translation>收错了</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="82"/>
        <source>Customer changed their mind</source>
        <translation>顾客改变主意</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="83"/>
        <source>Goods damaged or spoiled</source>
        <translation>商品损坏或变质</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="84"/>
        <source>Wrong price or weight</source>
        <translation>价格或重量错误</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="99"/>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="101"/>
        <source>Continue (Enter)</source>
        <translation>继续 (Enter)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/history.py" line="115"/>
        <source>Give a reason first.</source>
        <translation>请先填写原因。</translation>
    </message>
</context>
<context>
    <name>ResultFooter</name>
    <message>
        <location filename="../../booth_pos/ui/widgets.py" line="55"/>
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="70"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="82"/>
        <source>Booth</source>
        <translation>摊位</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="87"/>
        <source>Booth code</source>
        <translation>摊位编码</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="88"/>
        <source>Booth name</source>
        <translation>摊位名称</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="89"/>
        <source>Town</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="92"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="104"/>
        <source>Round-down limit</source>
        <translation>抹零上限</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="106"/>
        <source>The most an operator may knock off a total for the customer.</source>
        <translation>收银员最多可为顾客抹去的零头。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="113"/>
        <source>No round-down</source>
        <translation>不抹零</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="114"/>
        <source>Drop the fen (to whole jiao)</source>
        <translation>抹去分（到角）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="115"/>
        <source>Drop jiao and fen (to whole yuan)</source>
        <translation>抹去角和分（到元）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="124"/>
        <source>Collection QR code</source>
        <translation>收款二维码</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="128"/>
        <source>The text inside the booth&apos;s WeChat / Alipay collection code, shown to the customer as a QR code when they pay by phone.</source>
        <translation>本摊位微信/支付宝收款码里的内容；顾客扫码付款时以二维码显示。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="136"/>
        <source>e.g. {0}</source>
        <translation>例如 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="140"/>
        <source>Tare presets</source>
        <translation>皮重预设</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="143"/>
        <source>Containers weighed with the goods, taken off the scale reading.</source>
        <translation>与商品一起称重的容器，称重时自动扣除。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="148"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="148"/>
        <source>Grams</source>
        <translation>克数</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="156"/>
        <source>Add a container</source>
        <translation>添加容器</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="158"/>
        <source>Remove the selected one</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="166"/>
        <source>Receipt footer</source>
        <translation>小票页脚</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="169"/>
        <source>e.g. Thank you for supporting local farms!</source>
        <translation>例如：感谢您支持家乡农产品！</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="175"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="182"/>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="185"/>
        <source>Printer model</source>
        <translation>打印机型号</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="188"/>
        <source>Automatic (printer font where it has Chinese)</source>
        <translation>自动（打印机有中文字库时用字库）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="189"/>
        <source>Printer&apos;s Chinese font (GBK)</source>
        <translation>打印机中文字库（GBK）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="190"/>
        <source>Drawn as an image (any printer)</source>
        <translation>图片方式（任何打印机）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="193"/>
        <source>Chinese text</source>
        <translation>中文打印方式</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="195"/>
        <source>58 mm paper</source>
        <translation>58 毫米纸</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="196"/>
        <source>80 mm paper</source>
        <translation>80 毫米纸</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="197"/>
        <source>Paper</source>
        <translation>纸宽</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="198"/>
        <source>Open the cash drawer on cash sales</source>
        <translation>现金交易时打开钱箱</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="203"/>
        <source>Receipt QR address</source>
        <translation>小票二维码地址</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="204"/>
        <source>Print a test page</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="213"/>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="319"/>
        <source>Not configured</source>
        <translation>未配置</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="211"/>
        <source>County server</source>
        <translation>县级服务器</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="219"/>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="222"/>
        <source>Device id</source>
        <translation>设备编号</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="226"/>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="228"/>
        <source>Enrol this till</source>
        <translation>登记本收银机</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="230"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="233"/>
        <source>Send rejected again…</source>
        <translation>重新上传被拒单据…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="251"/>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="253"/>
        <source>Save (Enter)</source>
        <translation>保存 (Enter)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="289"/>
        <source>Not set up yet</source>
        <translation>尚未设置</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="355"/>
        <source>Tare preset {0}: give it a name.</source>
        <translation>皮重预设 {0}：请填写名称。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="359"/>
        <source>Tare preset {0}: the weight must be whole grams, e.g. 350.</source>
        <translation>皮重预设 {0}：重量须为整克数，如 350。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="396"/>
        <source>Not configured: this till keeps every sale until it is enrolled.</source>
        <translation>未配置：登记前，本机保存全部交易。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="402"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="404"/>
        <source>{0} · device {1} · {2} · {3} unsynced · last success {4}</source>
        <translation>{0} · 设备 {1} · {2} · {3} 笔未上传 · 上次成功 {4}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="407"/>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="407"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="412"/>
        <source>Last error: {0}</source>
        <translation>上次错误：{0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="417"/>
        <source>{0} ({1}): {2}</source>
        <translation>{0}（{1}）：{2}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="421"/>
        <source>Kept for the coordinator:</source>
        <translation>待协调员处理：</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="427"/>
        <source>Enrol this till with the county server.</source>
        <translation>把本收银机登记到县级服务器。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="431"/>
        <source>Contacting the county server…</source>
        <translation>正在连接县级服务器…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="437"/>
        <source>Enrolled with {0}.</source>
        <translation>已登记到 {0}。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="441"/>
        <source>Saved; the server did not answer, it will be confirmed later.</source>
        <translation>已保存；服务器暂未响应，稍后自动确认。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="460"/>
        <source>Sync started.</source>
        <translation>已开始同步。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="464"/>
        <source>Send the rejected documents to the county again.</source>
        <translation>把被拒单据重新上传到县里。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="473"/>
        <source>{0} document(s) queued again.</source>
        <translation>已重新排队 {0} 张单据。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="492"/>
        <source>Printing the test page…</source>
        <translation>正在打印测试页…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="500"/>
        <source>Test page sent. Check the printer.</source>
        <translation>测试页已发送，请查看打印机。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="509"/>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="512"/>
        <source>The test page failed: {0}</source>
        <translation>测试页打印失败：{0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="533"/>
        <source>Nothing has changed.</source>
        <translation>没有改动。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="543"/>
        <source>Save the changed booth settings.</source>
        <translation>保存摊位设置的修改。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/settings_dialog.py" line="559"/>
        <source>Settings saved.</source>
        <translation>设置已保存。</translation>
    </message>
</context>
<context>
    <name>TillWindow</name>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="285"/>
        <source>booth-pos · {0} ({1})</source>
        <translation>摊位收银 · {0}（{1}）</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="287"/>
        <source>Scan a barcode or type a PLU, then Enter</source>
        <translation>扫条码或输入商品编码，按 Enter</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="288"/>
        <source>Search goods (F6)</source>
        <translation>搜索商品 (F6)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="290"/>
        <source>Goods</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="290"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="290"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="290"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="292"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="295"/>
        <source>Exact
Ctrl+0</source>
        <translation>刚好
Ctrl+0</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="296"/>
        <source>Clear cart (F9)</source>
        <translation>清空购物车 (F9)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="297"/>
        <source>Pay… (F12)</source>
        <translation>付款… (F12)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="298"/>
        <source>History (F8)</source>
        <translation>销售记录 (F8)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="299"/>
        <source>Settings (F10)</source>
        <translation>设置 (F10)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="300"/>
        <source>Day end (F4)</source>
        <translation>日结 (F4)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="301"/>
        <source>Goods (F2)</source>
        <translation>商品 (F2)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="302"/>
        <source>People</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="303"/>
        <source>Audit</source>
        <translation>审计</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="305"/>
        <source>English (F7)</source>
        <translation>English (F7)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="305"/>
        <source>中文 (F7)</source>
        <translation>中文 (F7)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="307"/>
        <source>Lock (F11)</source>
        <translation>锁屏 (F11)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="308"/>
        <source>Quit (Ctrl+Q)</source>
        <translation>退出 (Ctrl+Q)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="309"/>
        <source>Operator: {0}</source>
        <translation>收银员：{0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="367"/>
        <source>left {0} {1}</source>
        <translation>余 {0}{1}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="676"/>
        <source>Day end: shifts, stock, reports and closing the day.</source>
        <translation>日结：班次、库存、报表和关账。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="700"/>
        <source>Goods: products, prices, households and CSV.</source>
        <translation>商品：商品、价格、农户和 CSV。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="710"/>
        <source>People: add, deactivate, reset PINs and roles.</source>
        <translation>人员：添加、停用、重置密码和角色。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="718"/>
        <source>Read the audit trail.</source>
        <translation>查看审计日志。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="726"/>
        <source>Quit booth-pos on this laptop.</source>
        <translation>在这台电脑上退出收银程序。</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="744"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="746"/>
        <source>The cart holds {0} unpaid line(s), ¥{1}. Quit and drop them?</source>
        <translation>购物车里还有 {0} 行未付款，共 ¥{1}。退出并放弃这些商品吗？</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="812"/>
        <source>Printer: not configured</source>
        <translation>打印机：未配置</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="815"/>
        <source>Printer: not checked yet</source>
        <translation>打印机：尚未检测</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="817"/>
        <source>Printer: ready</source>
        <translation>打印机：就绪</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="819"/>
        <source>Printer: {0}</source>
        <translation>打印机：{0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="821"/>
        <source>Printer: offline</source>
        <translation>打印机：离线</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="824"/>
        <source> · {0} waiting</source>
        <translation> · {0} 张待打印</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="826"/>
        <source> · {0} failed</source>
        <translation> · {0} 张失败</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="388"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="390"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="401"/>
        <source>kg</source>
        <translation>公斤</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="403"/>
        <source>jin</source>
        <translation>斤</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="405"/>
        <source>item</source>
        <translation>件</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="524"/>
        <source>{0} kg</source>
        <translation>{0} 公斤</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="546"/>
        <source>Total ¥{0}</source>
        <translation>合计 ¥{0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="588"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="608"/>
        <source>Change ¥{0} · {1}</source>
        <translation>找零 ¥{0} · {1}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/till.py" line="611"/>
        <source>Paid · {0}</source>
        <translation>已收款 · {0}</translation>
    </message>
</context>
<context>
    <name>WeightDialog</name>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="55"/>
        <source>Weight</source>
        <translation>重量</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="58"/>
        <source>kg</source>
        <translation>公斤</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="59"/>
        <source>jin</source>
        <translation>斤</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="60"/>
        <source>g</source>
        <translation>克</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="68"/>
        <source>{0} per kg</source>
        <translation>每公斤 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="70"/>
        <source>{0} per jin</source>
        <translation>每斤 {0}</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="85"/>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="87"/>
        <source>OK (Enter)</source>
        <translation>确定 (Enter)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="143"/>
        <source>Backspace</source>
        <translation>退格</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="146"/>
        <source>Clear (Del)</source>
        <translation>清除 (Del)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="154"/>
        <source>kg (F1)</source>
        <translation>公斤 (F1)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="155"/>
        <source>jin (F2)</source>
        <translation>斤 (F2)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="156"/>
        <source>g (F3)</source>
        <translation>克 (F3)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="170"/>
        <source>Tare</source>
        <translation>皮重</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="174"/>
        <source>No tare (F4)</source>
        <translation>不扣皮 (F4)</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="182"/>
        <source>{0} {1} g (F{2})</source>
        <translation>{0} {1} 克 (F{2})</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="184"/>
        <source>{0} {1} g</source>
        <translation>{0} {1} 克</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="269"/>
        <source>Less tare {0} g: net {1} kg</source>
        <translation>扣皮重 {0} 克：净重 {1} 公斤</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="272"/>
        <source>Less tare {0} g</source>
        <translation>扣皮重 {0} 克</translation>
    </message>
    <message>
        <location filename="../../booth_pos/ui/weight_dialog.py" line="275"/>
        <source>Amount {0}</source>
        <translation>金额 {0}</translation>
    </message>
</context>
</TS>
