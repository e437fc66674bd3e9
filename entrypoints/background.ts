export default defineBackground(() => {
  console.info('AFP Porter worker started');
});
